package io.sensorcast.config;

import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.streams.StreamsConfig;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** Hides Kafka client secrets (passwords, JAAS configurations, private keys) before settings or messages are shown. */
public final class SecretRedaction {

    /** What a hidden value is shown as. */
    public static final String REDACTED = "[redacted]";

    /**
     * Every key Kafka's clients and Streams declare as a password: their own logs already print these as
     * {@code [hidden]}, and anything we print must hide at least as much.
     */
    private static final Set<String> PASSWORD_KEYS = passwordKeys();

    // Keys Kafka does not know (a config provider's, a plug-in's) are judged by their name.
    private static final List<String> SECRET_WORDS = List.of("password", "secret", "jaas", "credential", "passphrase",
            "private", "user.info", "keystore.key", "certificate.chain", "truststore.certificates");

    // JAAS options such as password="..." or clientSecret=... anywhere in a value or a message.
    private static final Pattern SECRET_OPTION = Pattern.compile(
            "(?i)\\b([a-z_.]*(?:password|secret)[a-z_.]*)\\s*=\\s*(\"[^\"]*\"|'[^']*'|[^\\s;,\"']+)");

    // Shorter values are not replaced inside free text: hiding "ab" would garble a message and protect nothing.
    private static final int MIN_SECRET_LENGTH = 3;

    private SecretRedaction() {
    }

    /**
     * Whether a Kafka setting holds a secret: a password-typed key of any Kafka client, also behind a Streams
     * prefix such as {@code producer.} or {@code main.consumer.}, a key whose name says secret, or a value that
     * carries a password option.
     */
    public static boolean isSecret(String key, String value) {
        String k = key.toLowerCase(Locale.ROOT);
        for (String password : PASSWORD_KEYS) {
            if (k.equals(password) || k.endsWith("." + password)) {
                return true;
            }
        }
        if (SECRET_WORDS.stream().anyMatch(k::contains)) {
            return true;
        }
        return value != null && SECRET_OPTION.matcher(value).find();
    }

    /** The settings in key order, each secret value replaced by {@value #REDACTED}. */
    public static Map<String, String> redact(Map<String, String> settings) {
        Map<String, String> shown = new LinkedHashMap<>();
        new TreeMap<>(settings).forEach((k, v) -> shown.put(k, isSecret(k, v) ? REDACTED : v));
        return shown;
    }

    /**
     * The text with every secret of these settings hidden: whole secret values, the password options inside
     * them (a JAAS configuration's password may appear alone in an error), and any password option in the text.
     */
    public static String redactText(String text, Map<String, String> settings) {
        if (text == null) {
            return null;
        }
        String result = text;
        for (String secret : secretsOf(settings)) {
            result = result.replace(secret, REDACTED);
        }
        return hideOptions(result);
    }

    private static List<String> secretsOf(Map<String, String> settings) {
        List<String> secrets = new ArrayList<>();
        settings.forEach((k, v) -> {
            if (v == null || !isSecret(k, v)) {
                return;
            }
            secrets.add(v);
            Matcher options = SECRET_OPTION.matcher(v);
            while (options.find()) {
                secrets.add(unquote(options.group(2)));
            }
        });
        // Longest first, so a JAAS string is hidden whole before the password inside it.
        return secrets.stream().filter(s -> s.length() >= MIN_SECRET_LENGTH).distinct()
                .sorted(Comparator.comparingInt(String::length).reversed()).toList();
    }

    private static String hideOptions(String text) {
        Matcher m = SECRET_OPTION.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(m.group(1) + "=" + REDACTED));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static String unquote(String value) {
        if (value.length() >= 2 && (value.startsWith("\"") && value.endsWith("\"")
                || value.startsWith("'") && value.endsWith("'"))) {
            return value.substring(1, value.length() - 1);
        }
        return value;
    }

    private static Set<String> passwordKeys() {
        Set<String> keys = new TreeSet<>();
        Stream.of(ProducerConfig.configDef(), ConsumerConfig.configDef(), AdminClientConfig.configDef(),
                        StreamsConfig.configDef())
                .forEach(def -> def.configKeys().forEach((name, key) -> {
                    if (key.type == ConfigDef.Type.PASSWORD) {
                        keys.add(name);
                    }
                }));
        return Set.copyOf(keys);
    }
}
