package io.sensorcast.testing;

import io.sensorcast.demo.EmbeddedKafkaBroker;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.function.Supplier;

/**
 * One embedded broker per test class, started before its first test (and before its own {@code @BeforeAll}
 * methods) and closed after its last, instead of a {@code @BeforeAll}/{@code @AfterAll} pair in every class:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final KafkaBrokerExtension<EmbeddedKafkaBroker> KAFKA = KafkaBrokerExtension.plain();
 * ... KAFKA.broker().bootstrapServers() ...
 * }</pre>
 *
 * @param <B> the plain {@link EmbeddedKafkaBroker} or a {@link SecuredKafkaBroker}
 */
public final class KafkaBrokerExtension<B extends AutoCloseable> implements BeforeAllCallback, AfterAllCallback {

    private final Supplier<B> starter;
    private B broker;
    /** The class that started it: @Nested classes inherit the extension but share their outer class's broker. */
    private String owner;

    private KafkaBrokerExtension(Supplier<B> starter) {
        this.starter = starter;
    }

    /** A plaintext broker whose auto-created topics get one partition. */
    public static KafkaBrokerExtension<EmbeddedKafkaBroker> plain() {
        return plain(1);
    }

    /** A plaintext broker whose auto-created topics get {@code defaultPartitions} partitions. */
    public static KafkaBrokerExtension<EmbeddedKafkaBroker> plain(int defaultPartitions) {
        return new KafkaBrokerExtension<>(() -> EmbeddedKafkaBroker.start(defaultPartitions));
    }

    /** Any broker, e.g. {@code () -> SecuredKafkaBroker.startWithMutualTls(2)}. */
    public static <B extends AutoCloseable> KafkaBrokerExtension<B> of(Supplier<B> starter) {
        return new KafkaBrokerExtension<>(starter);
    }

    /** The running broker. */
    public B broker() {
        if (broker == null) {
            throw new IllegalStateException("the broker starts before the test class's first test");
        }
        return broker;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        if (broker == null) {
            broker = starter.get();
            owner = context.getUniqueId();
        }
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (broker != null && context.getUniqueId().equals(owner)) {
            broker.close();
            broker = null;
        }
    }
}
