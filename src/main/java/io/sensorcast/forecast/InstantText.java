package io.sensorcast.forecast;

import java.time.Instant;

/**
 * Writes epoch milliseconds exactly as {@link Instant#toString()} does ({@code 2026-11-30T12:00:00Z}, or with
 * {@code .mmm} when the milliseconds are not zero) into a caller's buffer, without allocating.
 *
 * <p>A forecast carries one timestamp per horizon step, and {@code Instant.toString} (a {@code DateTimeFormatter}
 * walk and a fresh String each) was about a quarter of the forecast JSON's cost in the service profile.
 */
public final class InstantText {

    /** A buffer of this many chars holds any instant's text. */
    public static final int MAX_LENGTH = 32;

    /** 10000-01-01T00:00:00Z: from here on years have five digits and a sign; java.time writes those. */
    private static final long FOUR_DIGIT_YEARS_END_MS = 253_402_300_800_000L;
    private static final long MS_PER_DAY = 86_400_000L;
    /** Days from 0000-03-01 to 1970-01-01 in the proleptic Gregorian calendar. */
    private static final int EPOCH_SHIFT_DAYS = 719_468;
    private static final int DAYS_PER_ERA = 146_097;

    private InstantText() {
    }

    /** Writes the instant {@code epochMs} into {@code into} from index 0; returns the number of chars written. */
    public static int write(long epochMs, char[] into) {
        if (epochMs < 0 || epochMs >= FOUR_DIGIT_YEARS_END_MS) {
            String text = Instant.ofEpochMilli(epochMs).toString();
            text.getChars(0, text.length(), into, 0);
            return text.length();
        }
        int days = (int) (epochMs / MS_PER_DAY);
        int msOfDay = (int) (epochMs % MS_PER_DAY);
        // Civil date from a day count (H. Hinnant, "chrono-compatible low-level date algorithms"): years that
        // start on 1 March put the leap day last, so month lengths follow a fixed pattern.
        int z = days + EPOCH_SHIFT_DAYS;
        int era = z / DAYS_PER_ERA;
        int dayOfEra = z - era * DAYS_PER_ERA;
        int yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146096) / 365;
        int dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
        int shiftedMonth = (5 * dayOfYear + 2) / 153;
        int day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1;
        int month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9;
        int year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
        int seconds = msOfDay / 1000;
        int millis = msOfDay % 1000;
        digits(year, 4, into, 0);
        into[4] = '-';
        digits(month, 2, into, 5);
        into[7] = '-';
        digits(day, 2, into, 8);
        into[10] = 'T';
        digits(seconds / 3600, 2, into, 11);
        into[13] = ':';
        digits(seconds / 60 % 60, 2, into, 14);
        into[16] = ':';
        digits(seconds % 60, 2, into, 17);
        if (millis == 0) {
            into[19] = 'Z';
            return 20;
        }
        into[19] = '.';
        digits(millis, 3, into, 20);
        into[23] = 'Z';
        return 24;
    }

    /** The instant's text as a String (for callers that need one). */
    public static String toString(long epochMs) {
        char[] text = new char[MAX_LENGTH];
        return new String(text, 0, write(epochMs, text));
    }

    private static void digits(int value, int width, char[] into, int at) {
        for (int i = at + width - 1; i >= at; i--) {
            into[i] = (char) ('0' + value % 10);
            value /= 10;
        }
    }
}
