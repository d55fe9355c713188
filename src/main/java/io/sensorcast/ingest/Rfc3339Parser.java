package io.sensorcast.ingest;

import java.time.LocalDate;
import java.time.Month;
import java.time.Year;

/**
 * Reads an RFC 3339 date-time, the ISO-8601 profile that JSON Schema's {@code date-time} format
 * means, into epoch milliseconds.
 *
 * <p>Accepted: {@code YYYY-MM-DD}, then {@code T}, {@code t} or a space (RFC 3339 section 5.6), then
 * {@code hh:mm:ss}, an optional fraction of 1 to 9 digits (truncated to milliseconds), and {@code Z},
 * {@code z} or {@code +hh:mm}/{@code -hh:mm} up to 18:00 ({@code -00:00}, RFC 3339's "UTC, local offset
 * unknown", is read as UTC). Leap seconds (:60) are not accepted: epoch time has no
 * slot for them. Hand-written rather than {@code DateTimeFormatter} because it runs for every event
 * and java.time's ISO parser is both slower and looser (it takes missing seconds, 5-digit years and
 * second-precision offsets, which the schema rejects).
 */
final class Rfc3339Parser {

    /** Returned for text that is not an RFC 3339 date-time; no valid date-time maps to it. */
    static final long INVALID = Long.MIN_VALUE;

    private static final int MIN_LENGTH = "2026-11-22T10:15:00Z".length();
    private static final int MAX_FRACTION_DIGITS = 9;
    /** java.time's (and so the schema validator's) offset range; real zones stay within -12:00..+14:00. */
    private static final int MAX_OFFSET_SECONDS = 18 * 3600;

    private Rfc3339Parser() {
    }

    /** Epoch milliseconds of {@code text} (negative before 1970), or {@link #INVALID}. */
    static long toEpochMillis(String text) {
        int length = text.length();
        if (length < MIN_LENGTH) {
            return INVALID;
        }
        int year = digits(text, 0, 4);
        int month = digits(text, 5, 2);
        int day = digits(text, 8, 2);
        int hour = digits(text, 11, 2);
        int minute = digits(text, 14, 2);
        int second = digits(text, 17, 2);
        char separator = text.charAt(10);
        if (year < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23
                || minute < 0 || minute > 59 || second < 0 || second > 59
                || text.charAt(4) != '-' || text.charAt(7) != '-'
                || separator != 'T' && separator != 't' && separator != ' '
                || text.charAt(13) != ':' || text.charAt(16) != ':'
                || day > Month.of(month).length(Year.isLeap(year))) {
            return INVALID;
        }
        int i = 19;
        int millis = 0;
        if (text.charAt(i) == '.') {
            int start = ++i;
            while (i < length && isDigit(text.charAt(i))) {
                if (i - start < 3) {
                    millis = millis * 10 + (text.charAt(i) - '0');
                }
                i++;
            }
            int fractionDigits = i - start;
            if (fractionDigits == 0 || fractionDigits > MAX_FRACTION_DIGITS) {
                return INVALID;
            }
            for (int k = fractionDigits; k < 3; k++) {
                millis *= 10;
            }
        }
        if (i >= length) {
            return INVALID;
        }
        int offsetSeconds;
        char zone = text.charAt(i);
        if (zone == 'Z' || zone == 'z') {
            offsetSeconds = 0;
            i++;
        } else if (zone == '+' || zone == '-') {
            if (length - i != 6 || text.charAt(i + 3) != ':') {
                return INVALID;
            }
            int offsetHours = digits(text, i + 1, 2);
            int offsetMinutes = digits(text, i + 4, 2);
            if (offsetHours < 0 || offsetMinutes < 0 || offsetMinutes > 59
                    || offsetHours * 3600 + offsetMinutes * 60 > MAX_OFFSET_SECONDS) {
                return INVALID;
            }
            offsetSeconds = (zone == '-' ? -1 : 1) * (offsetHours * 3600 + offsetMinutes * 60);
            i += 6;
        } else {
            return INVALID;
        }
        if (i != length) {
            return INVALID;
        }
        long epochDay = LocalDate.of(year, month, day).toEpochDay();
        long epochSecond = epochDay * 86_400 + hour * 3600L + minute * 60L + second - offsetSeconds;
        return epochSecond * 1000 + millis;
    }

    /** The non-negative value of {@code count} ASCII digits at {@code from}, or -1. */
    private static int digits(String text, int from, int count) {
        int value = 0;
        for (int i = from; i < from + count; i++) {
            char ch = text.charAt(i);
            if (!isDigit(ch)) {
                return -1;
            }
            value = value * 10 + (ch - '0');
        }
        return value;
    }

    private static boolean isDigit(char ch) {
        return ch >= '0' && ch <= '9';
    }
}
