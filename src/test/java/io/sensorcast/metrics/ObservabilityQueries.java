package io.sensorcast.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The PromQL the shipped observability files run, and the metric names it reads: the Grafana dashboard
 * and the alert rules under {@code helm/sensorcast/files/}. A test of the live {@code /metrics} output can
 * require every name in {@link #metricNames()}, so that a renamed metric breaks a test instead of a panel
 * or, worse, silently an alert.
 */
public final class ObservabilityQueries {

    public static final Path DASHBOARD = Path.of("helm/sensorcast/files/sensorcast-dashboard.json");
    public static final Path ALERT_RULES = Path.of("helm/sensorcast/files/sensorcast-alerts.yaml");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private static final Pattern QUOTED = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'|`[^`]*`");
    private static final Pattern LABEL_MATCHERS = Pattern.compile("\\{[^}]*}");
    private static final Pattern RANGES = Pattern.compile("\\[[^]]*]");
    private static final Pattern LABEL_LISTS = Pattern.compile(
            "\\b(?:by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", Pattern.CASE_INSENSITIVE);
    private static final Pattern GRAFANA_VARIABLES = Pattern.compile("\\$\\{?\\w+}?");
    // Not preceded by a word character or '.', so the exponent of 1e3 and the unit of 5m are no names.
    private static final Pattern IDENTIFIER = Pattern.compile("(?<![\\w.])[A-Za-z_:][\\w:]*");
    private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "bool", "offset", "inf", "nan",
            "by", "without", "on", "ignoring", "group_left", "group_right");
    private static final Pattern LABEL_VALUES = Pattern.compile("^\\s*label_values\\((.*),\\s*\\w+\\s*\\)\\s*$",
            Pattern.DOTALL);

    private ObservabilityQueries() {
    }

    /** Every metric name read by the dashboard or the alert rules, sorted. */
    public static SortedSet<String> metricNames() {
        SortedSet<String> names = new TreeSet<>();
        dashboardQueries().forEach(q -> names.addAll(metricNames(q)));
        alertQueries().forEach(q -> names.addAll(metricNames(q)));
        return names;
    }

    /**
     * The dashboard's PromQL: panel targets (rows included), annotation queries, and the metric selector of
     * each {@code label_values(...)} variable query.
     */
    public static List<String> dashboardQueries() {
        JsonNode dashboard = read(JSON, DASHBOARD);
        List<String> queries = new ArrayList<>();
        collectExpr(dashboard, queries);
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            if (!"query".equals(variable.path("type").asText())) {
                continue;
            }
            JsonNode query = variable.path("query");
            String text = query.isTextual() ? query.asText() : query.path("query").asText();
            Matcher m = LABEL_VALUES.matcher(text);
            queries.add(m.matches() ? m.group(1) : text);
        }
        return queries;
    }

    /** The {@code expr} of every alerting and recording rule. */
    public static List<String> alertQueries() {
        List<String> queries = new ArrayList<>();
        for (JsonNode group : read(YAML, ALERT_RULES).path("groups")) {
            for (JsonNode rule : group.path("rules")) {
                queries.add(rule.path("expr").asText());
            }
        }
        return queries;
    }

    /**
     * The metric names one PromQL expression reads. Label names, function names, keywords, durations,
     * numbers, strings and Grafana variables are not metric names; histogram series keep their exposition
     * suffix ({@code _bucket}, {@code _sum}, {@code _count}) because that is what {@code /metrics} shows.
     */
    public static SortedSet<String> metricNames(String promql) {
        String s = QUOTED.matcher(promql).replaceAll(" ");
        s = LABEL_MATCHERS.matcher(s).replaceAll(" ");
        s = RANGES.matcher(s).replaceAll(" ");
        s = LABEL_LISTS.matcher(s).replaceAll(" ");
        s = GRAFANA_VARIABLES.matcher(s).replaceAll(" ");
        SortedSet<String> names = new TreeSet<>();
        Matcher m = IDENTIFIER.matcher(s);
        while (m.find()) {
            String name = m.group();
            boolean isCall = s.substring(m.end()).stripLeading().startsWith("(");
            if (!isCall && !KEYWORDS.contains(name.toLowerCase(Locale.ROOT))) {
                names.add(name);
            }
        }
        return names;
    }

    private static void collectExpr(JsonNode node, List<String> into) {
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                if (field.getKey().equals("expr") && field.getValue().isTextual()) {
                    into.add(field.getValue().asText());
                } else {
                    collectExpr(field.getValue(), into);
                }
            }
        } else if (node.isArray()) {
            node.forEach(child -> collectExpr(child, into));
        }
    }

    private static JsonNode read(ObjectMapper mapper, Path file) {
        try {
            return mapper.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file.toAbsolutePath(), e);
        }
    }
}
