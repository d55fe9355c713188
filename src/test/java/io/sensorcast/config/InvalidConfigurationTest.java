package io.sensorcast.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Every key's bad values stop start-up with a message naming the key and what it allows. */
class InvalidConfigurationTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            // yaml                                                   | key named                      | allowed values quoted
            "name: 'has space'                                        | name                           | letters, digits",
            "name: ''                                                 | name                           | letters, digits",
            "name: [a]                                                | name                           | letters, digits",
            "kafka: [a, b]                                            | kafka                          | mapping of Kafka client property",
            "kafka:\\n  bootstrap.servers:                                     | kafka.bootstrap.servers        | has no value",
            "instanceId: 'pod 0'                                      | instanceId                     | 1-200 letters, digits",
            "instanceId: [a]                                          | instanceId                     | 1-200 letters, digits",
            "topics: [a]                                              | topics                         | six different topic names",
            "topics: {events: 'bad topic!'}                           | topics.events                  | 1-249 characters",
            "topics: {forecasts: ''}                                  | topics.forecasts               | 1-249 characters",
            "topics: {deadLetter: '..'}                               | topics.deadLetter              | 1-249 characters",
            "topics: {events: x, forecasts: x}                        | topics                         | six different topic names",
            "topics: {evnts: x}                                       | topics.evnts                   | allowed here: anomalies, control, deadLetter, events, forecasts, models",
            "channels: []                                             | channels                       | 1..32 different names",
            "channels: [a, a]                                        | channels                       | 1..32 different names",
            "channels: [a, ~]                                        | channels                       | 1..32 different names",
            "channels: [1st]                                         | channels                       | a letter or _",
            "channels: value                                          | channels                       | 1..32 different names",
            "horizon: 0                                               | horizon                        | 1..100",
            "horizon: 101                                             | horizon                        | 1..100",
            "horizon: -3                                              | horizon                        | 1..100",
            "horizon: 5.5                                             | horizon                        | 1..100",
            "forecast: {quantiles: [0.9, 0.1]}                        | forecast.quantiles             | different and ascending",
            "forecast: {quantiles: [0, 0.5]}                          | forecast.quantiles             | levels in (0, 1)",
            "forecast: {quantiles: [0.5, 1.5]}                        | forecast.quantiles             | levels in (0, 1)",
            "forecast: {quantiles: []}                                | forecast.quantiles             | 1..9 different levels",
            "forecast: {quantiles: [a]}                               | forecast.quantiles             | levels in (0, 1)",
            "forecast: {intervalWindow: 1}                            | forecast.intervalWindow        | 2..1000000",
            "forecast: {intervalAdaptation: 2}                        | forecast.intervalAdaptation    | 0..1",
            "anomaly: {threshold: 0}                                  | anomaly.threshold              | (0, 1]",
            "anomaly: {publish: sometimes}                            | anomaly.publish                | flagged, all, none",
            "anomaly: {shortWindow: 10}                               | anomaly.shortWindow            | allowed here: longWindow, publish, threshold, warmup",
            "anomaly: {longWindow: 5}                                 | anomaly.longWindow             | 10..10000000",
            "topics: {anomalies: x, forecasts: x}                     | topics                         | six different topic names",
            "topics: {control: sensor-events}                         | topics                         | six different topic names",
            "state: {idleTtl: P1M}                                    | state.idleTtl                  | months and years are not",
            "state: {idleTtl: 30 days}                                | state.idleTtl                  | ISO-8601 duration of PT1S..P36500D",
            "state: {idleTtl: '-P1D'}                                 | state.idleTtl                  | out of range",
            "state: {idleTtl: PT0.5S}                                 | state.idleTtl                  | out of range",
            "state: {idleTtl: [P1D]}                                  | state.idleTtl                  | 0 (keep forever)",
            "state: {evictionInterval: PT0S}                          | state.evictionInterval         | PT0.1S..PT1H",
            "state: {evictionInterval: 10s}                           | state.evictionInterval         | not an ISO-8601 duration",
            "state: {evictionBatch: 0}                                | state.evictionBatch            | 1..1000000",
            "state: {idleTime: P1D}                                   | state.idleTime                 | allowed here: evictionBatch, evictionInterval, idleTtl",
            "horizon: five                                            | horizon                        | 1..100",
            "horizon: 99999999999                                     | horizon                        | 1..100",
            "horizon: [5]                                             | horizon                        | 1..100",
            "horizon: 3\\nhorizon: 4                                 | horizon                        | Duplicate",
            "features: true                                           | features                       | timeOfDay, dayOfWeek",
            "features: {timeOfDay: maybe}                             | features.timeOfDay             | true, false",
            "features: {dayOfWeek: 2}                                 | features.dayOfWeek             | true, false",
            "features: {defaultCadenceSeconds: 0}                     | features.defaultCadenceSeconds | (0, 604800]",
            "features: {defaultCadenceSeconds: 604801}                | features.defaultCadenceSeconds | (0, 604800]",
            "features: {defaultCadenceSeconds: .nan}                  | defaultCadenceSeconds          | line 1",
            "features: {defaultCadenceSeconds: fast}                  | features.defaultCadenceSeconds | (0, 604800]",
            "model: {cell: transformer}                               | model.cell                     | lstm, gru, rnn",
            "model: {cell: bidirectional}                             | model.cell                     | lstm, gru, rnn",
            "model: {layers: []}                                      | model.layers                   | 1..4",
            "model: {layers: [8, 8, 8, 8, 8]}                         | model.layers                   | 1..4",
            "model: {layers: [0]}                                     | model.layers                   | 1..1024",
            "model: {layers: [1025]}                                  | model.layers                   | 1..1024",
            "model: {layers: [8, ~]}                                 | model.layers                   | 1..1024",
            "model: {layers: [eight]}                                 | model.layers                   | 1..1024",
            "model: {layers: 8}                                       | model.layers                   | 1..1024",
            "model: {path: ''}                                        | model.path                     | bootstrap model",
            "model: {directory: ''}                                   | model.directory                | directory path",
            "model: {replayWindow: -1}                                | model.replayWindow             | 0..1024",
            "model: {replayWindow: 1025}                              | model.replayWindow             | 0..1024",
            "model: {cel: lstm}                                       | model.cel                      | allowed here: calibrationWindow, cell, directory, layers, path, replayWindow",
            "model: {calibrationWindow: -1}                           | model.calibrationWindow        | 0..1000000",
            "limits: {maxPayloadBytes: 63}                            | limits.maxPayloadBytes         | 64..1048576",
            "limits: {maxPayloadBytes: 1048577}                       | limits.maxPayloadBytes         | 64..1048576",
            "limits: {maxAbsValue: 0}                                 | limits.maxAbsValue             | (0, 1e300]",
            "limits: {maxAbsValue: .inf}                              | maxAbsValue                    | line 1",
            "limits: {maxAbsValue: .nan}                              | maxAbsValue                    | line 1",
            "limits: {maxSensorIdLength: 0}                           | limits.maxSensorIdLength       | 1..4096",
            "limits: {maxSensorIdLength: 4097}                        | limits.maxSensorIdLength       | 1..4096",
            "training: {enabled: sometimes}                           | training.enabled               | true, false",
            "training: {everySamples: 0}                              | training.everySamples          | >= 1",
            "training: {everySeconds: -1}                             | training.everySeconds          | 0..31536000",
            "training: {everySeconds: .inf}                           | everySeconds                   | line 1",
            "training: {maxKeys: 0}                                   | training.maxKeys               | 1..100000",
            "training: {maxKeys: 100001}                              | training.maxKeys               | 1..100000",
            "training: {stepsPerKey: 100}                             | training.stepsPerKey           | 2 x windowLength + horizon",
            "training: {stepsPerKey: 100001}                          | training.stepsPerKey           | 2 x windowLength + horizon",
            "training: {windowLength: 1}                              | training.windowLength          | 2..10000",
            "training: {windowLength: 10001, stepsPerKey: 100000}     | training.windowLength          | 2..10000",
            "training: {tbpttLength: 0}                               | training.tbpttLength           | 1..windowLength",
            "training: {tbpttLength: 65}                              | training.tbpttLength           | 1..windowLength",
            "training: {batchSize: 0}                                 | training.batchSize             | 1..4096",
            "training: {batchSize: 4097}                              | training.batchSize             | 1..4096",
            "training: {epochs: 0}                                    | training.epochs                | 1..1000",
            "training: {epochs: 1001}                                 | training.epochs                | 1..1000",
            "training: {optimizer: adagrad}                           | training.optimizer             | adam, sgd, rmsprop",
            "training: {engine: pytorch}                              | training.engine                | java, dl4j",
            "training: {learningRate: 0}                              | training.learningRate          | (0, 10]",
            "training: {cpuShare: 0}                                  | training.cpuShare              | (0, 1]",
            "training: {cpuShare: 1.5}                                | training.cpuShare              | (0, 1]",
            "training: {learningRate: 11}                             | training.learningRate          | (0, 10]",
            "training: {learningRate: .nan}                           | learningRate                   | line 1",
            "training: {clipThreshold: 0}                             | training.clipThreshold         | > 0",
            "training: {clipThreshold: .inf}                          | clipThreshold                  | line 1",
            "training: {tolerance: -0.1}                              | training.tolerance             | 0..1",
            "training: {tolerance: 1.5}                               | training.tolerance             | 0..1",
            "training: {seed: 1.5}                                    | training.seed                  | an integer",
            "training: {intakeCapacity: 0}                            | training.intakeCapacity        | 1..10000000",
            "training: {intakeCapacity: 10000001}                     | training.intakeCapacity        | 1..10000000",
            "metrics: {host: ''}                                      | metrics.host                   | host name or address",
            "metrics: {port: -1}                                      | metrics.port                   | 0..65535",
            "metrics: {port: 65536}                                   | metrics.port                   | 0..65535",
            "metrics: {port: http}                                    | metrics.port                   | 0..65535",
            "metrics: {sensors: [s1, s2, s3, s4, s5, s6, s7, s8, s9, s10, s11, s12, s13, s14, s15, s16, s17, s18, s19, s20, s21, s22, s23, s24, s25, s26, s27, s28, s29, s30, s31, s32, s33, s34, s35, s36, s37, s38, s39, s40, s41, s42, s43, s44, s45, s46, s47, s48, s49, s50, s51]} | metrics.sensors | at most 50",
            "metrics: {window: 9}                                     | metrics.window                 | 10..1000000",
            "metrics: {window: 1000001}                               | metrics.window                 | 10..1000000",
            "horizn: 5                                                | horizn                         | allowed here: anomaly, channels, features, forecast, horizon",
            "- a\\n- b                                               | configuration must be a mapping | name, kafka, instanceId, topics",
    })
    void everyBadValueStopsStartUpNamingTheKeyAndWhatItAllows(String yaml, String key, String allowed) {
        assertThatThrownBy(() -> PipelineConfigLoader.parse(yaml.replace("\\n", "\n")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(key)
                .hasMessageContaining(allowed)
                .satisfies(e -> assertThat(e.getMessage()).as("one line").doesNotContain("\n"));
    }

    @Test
    void aBadValueInAFileIsReportedWithTheFileAndTheKey(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("p.yaml"), "horizon: 3\nmodel:\n  layers: [8, 2000]\n");
        assertThatThrownBy(() -> PipelineConfigLoader.load(file)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("model.layers: 2000 is out of range; allowed: 1..1024");
        Path typo = Files.writeString(dir.resolve("q.yaml"), "training:\n  epochs: many\n");
        assertThatThrownBy(() -> PipelineConfigLoader.load(typo)).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(typo.toString())
                .hasMessageContaining("key 'training.epochs' has value 'many', which is not a whole number; allowed: 1..1000");
    }

    @Test
    void aValidFileStillLoadsAfterEveryCheck() {
        PipelineConfig c = PipelineConfigLoader.parse("""
                name: plant-1
                kafka: {bootstrap.servers: 'b:9092', num.stream.threads: 2}
                topics: {events: e, forecasts: f, deadLetter: d, models: m}
                channels: [temp, rh]
                horizon: 100
                features: {timeOfDay: false, dayOfWeek: true, defaultCadenceSeconds: 604800}
                model: {cell: rnn, layers: [1, 1024, 2, 3], path: boot.zip, directory: d, replayWindow: 0}
                limits: {maxPayloadBytes: 64, maxAbsValue: 1e300, maxSensorIdLength: 4096}
                training: {everySeconds: 0, windowLength: 2, stepsPerKey: 104, tbpttLength: 2, tolerance: 1}
                metrics: {port: 0, window: 10}
                """);
        assertThat(c.horizon()).isEqualTo(100);
        assertThat(c.kafka()).containsEntry("num.stream.threads", "2");
    }
}
