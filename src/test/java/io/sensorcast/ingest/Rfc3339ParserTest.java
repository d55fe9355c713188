package io.sensorcast.ingest;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class Rfc3339ParserTest {

    private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss");

    @Test
    void agreesWithJavaTimeOnRandomInstantsOffsetsAndFractions() {
        Random random = new Random(3339);
        long minSecond = Instant.parse("0001-01-02T00:00:00Z").getEpochSecond();
        long maxSecond = Instant.parse("9999-12-30T00:00:00Z").getEpochSecond();
        for (int n = 0; n < 5_000; n++) {
            long second = n % 2 == 0
                    ? random.nextLong(0, 4_102_444_800L)
                    : random.nextLong(minSecond, maxSecond);
            int nanos = random.nextInt(1_000_000_000);
            int digits = random.nextInt(10);
            int kept = digits == 0 ? 0 : (int) (nanos / (long) Math.pow(10, 9 - digits) * (long) Math.pow(10, 9 - digits));
            ZoneOffset offset = ZoneOffset.ofTotalSeconds(60 * random.nextInt(-18 * 60, 18 * 60 + 1));
            OffsetDateTime local = OffsetDateTime.ofInstant(Instant.ofEpochSecond(second, kept), offset);
            String fraction = digits == 0 ? "" : "." + String.format("%09d", kept).substring(0, digits);
            String text = LOCAL.format(local) + fraction + (offset.getTotalSeconds() == 0 && random.nextBoolean() ? "Z" : offsetText(offset));

            assertThat(Rfc3339Parser.toEpochMillis(text)).as(text).isEqualTo(Instant.ofEpochSecond(second, kept).toEpochMilli());
        }
    }

    @Test
    void everyMutatedTextItAcceptsJavaTimeReadsAsTheSameInstant() {
        // Random edits of valid timestamps: whatever the parser accepts must be a date-time java.time's ISO
        // parser also accepts (after RFC 3339's lower-case and space forms are normalised) with the same
        // value, so the faster parser never accepts something the JDK would refuse or read differently.
        Random random = new Random(3340);
        String alphabet = "0123456789:-+.TtZz x";
        int accepted = 0;
        for (int n = 0; n < 50_000; n++) {
            long second = random.nextLong(0, 4_102_444_800L);
            OffsetDateTime time = OffsetDateTime.ofInstant(Instant.ofEpochSecond(second, random.nextInt(1000) * 1_000_000L),
                    ZoneOffset.ofTotalSeconds(900 * random.nextInt(-48, 57)));
            StringBuilder text = new StringBuilder(time.format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
            for (int edits = 1 + random.nextInt(2); edits > 0; edits--) {
                int at = random.nextInt(text.length() + 1);
                char ch = alphabet.charAt(random.nextInt(alphabet.length()));
                switch (random.nextInt(3)) {
                    case 0 -> text.insert(at, ch);
                    case 1 -> text.deleteCharAt(Math.min(at, text.length() - 1));
                    default -> text.setCharAt(Math.min(at, text.length() - 1), ch);
                }
            }
            long millis = Rfc3339Parser.toEpochMillis(text.toString());
            if (millis == Rfc3339Parser.INVALID) {
                continue;
            }
            accepted++;
            StringBuilder iso = new StringBuilder(text);
            iso.setCharAt(10, 'T');
            if (iso.charAt(iso.length() - 1) == 'z') {
                iso.setCharAt(iso.length() - 1, 'Z');
            }
            assertThat(OffsetDateTime.parse(iso).toInstant().toEpochMilli()).as(text.toString()).isEqualTo(millis);
        }
        // some edits keep the text valid (a digit for a digit; 4,806 of the 50,000 here): the comparison really ran
        assertThat(accepted).isGreaterThan(2_000);
    }

    @Test
    void lowerCaseAndSpaceSeparatorsAreAccepted() {
        long expected = Instant.parse("2026-11-22T10:15:00Z").toEpochMilli();

        assertThat(Rfc3339Parser.toEpochMillis("2026-11-22t10:15:00z")).isEqualTo(expected);
        assertThat(Rfc3339Parser.toEpochMillis("2026-11-22 11:15:00+01:00")).isEqualTo(expected);
    }

    @Test
    void unknownLocalOffsetIsReadAsUtc() {
        assertThat(Rfc3339Parser.toEpochMillis("2026-11-22T10:15:00-00:00"))
                .isEqualTo(Rfc3339Parser.toEpochMillis("2026-11-22T10:15:00Z"));
    }

    @Test
    void leapDaysFollowTheGregorianRules() {
        assertThat(Rfc3339Parser.toEpochMillis("2024-02-29T00:00:00Z")).isEqualTo(Instant.parse("2024-02-29T00:00:00Z").toEpochMilli());
        assertThat(Rfc3339Parser.toEpochMillis("2000-02-29T00:00:00Z")).isEqualTo(Instant.parse("2000-02-29T00:00:00Z").toEpochMilli());
        assertThat(Rfc3339Parser.toEpochMillis("2026-02-29T00:00:00Z")).isEqualTo(Rfc3339Parser.INVALID);
        assertThat(Rfc3339Parser.toEpochMillis("2100-02-29T00:00:00Z")).isEqualTo(Rfc3339Parser.INVALID);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "", "2026-11-22", "2026-11-22T10:15Z", "2026-11-22T10:15:00", "2026-11-22T10:15:00+01",
            "2026-11-22T10:15:00+0100", "2026-11-22T10:15:00+01:00:30", "2026-11-22T10:15:00+18:01",
            "2026-11-22T10:15:00.Z", "2026-11-22T10:15:00.1234567891Z", "2026-11-22T10:15:00,5Z",
            "+12026-11-22T10:15:00Z", "26-11-22T10:15:00Z", "2026-13-22T10:15:00Z", "2026-00-22T10:15:00Z",
            "2026-11-31T10:15:00Z", "2026-11-00T10:15:00Z", "2026-11-22T24:00:00Z", "2026-11-22T10:60:00Z",
            "2026-11-22T23:59:60Z", "2026-11-22X10:15:00Z", "2026-11-22T10:15:00 Z", "2026-11-22T10:15:00Zjunk",
            "2026-11-22T10:15:00+01:00 ", "2026/11/22T10:15:00Z", "2026-11-22T1O:15:00Z", "２０２６-11-22T10:15:00Z"})
    void textThatIsNotAnRfc3339DateTimeIsInvalid(String text) {
        assertThat(Rfc3339Parser.toEpochMillis(text)).isEqualTo(Rfc3339Parser.INVALID);
    }

    private static String offsetText(ZoneOffset offset) {
        int total = offset.getTotalSeconds();
        int abs = Math.abs(total);
        return String.format("%s%02d:%02d", total < 0 ? "-" : "+", abs / 3600, abs / 60 % 60);
    }
}
