package io.sensorcast.replay;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Date;
import java.util.List;

/** Draws actual values against horizon-1 forecasts (made one event earlier) as a PNG. */
public final class ForecastPlot {

    private ForecastPlot() {
    }

    /** Plots the last {@code maxPoints} rows of one sensor's replay. */
    public static void write(List<ReplayRunner.Row> rows, int channel, int channels, String title, Path png,
                             int maxPoints) throws IOException {
        int from = Math.max(1, rows.size() - maxPoints);
        int n = rows.size() - from;
        Date[] times = new Date[n];
        double[] actual = new double[n];
        double[] forecast = new double[n];
        for (int i = 0; i < n; i++) {
            ReplayRunner.Row row = rows.get(from + i);
            times[i] = new Date(row.timestampMs());
            actual[i] = row.actual()[channel];
            forecast[i] = rows.get(from + i - 1).forecast()[channel];
        }
        XYChart chart = new XYChartBuilder().width(1400).height(500).title(title)
                .xAxisTitle("time (UTC)").yAxisTitle("value").build();
        chart.getStyler().setDatePattern("MM-dd HH:mm");
        chart.getStyler().setMarkerSize(0);
        XYSeries a = chart.addSeries("actual", java.util.Arrays.asList(times), toList(actual));
        a.setMarker(SeriesMarkers.NONE);
        XYSeries f = chart.addSeries("forecast h=1", java.util.Arrays.asList(times), toList(forecast));
        f.setMarker(SeriesMarkers.NONE);
        String file = png.toString();
        BitmapEncoder.saveBitmap(chart, file.endsWith(".png") ? file.substring(0, file.length() - 4) : file,
                BitmapEncoder.BitmapFormat.PNG);
    }

    private static List<Double> toList(double[] values) {
        return java.util.Arrays.stream(values).boxed().toList();
    }
}
