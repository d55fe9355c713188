package io.sensorcast.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Self-signed key pairs for a broker and one client that trust each other, made with the JDK's keytool: each
 * side's PKCS12 keystore holds its key, each side's PEM truststore the other's certificate.
 */
public record TlsMaterial(Path brokerKeystore, Path brokerTrusts, Path clientKeystore, Path clientTrusts, String password) {

    private static final long KEYTOOL_TIMEOUT_SECONDS = 60;
    private static final String PASSWORD_VARIABLE = "SENSORCAST_TLS_PASSWORD";

    /** Creates the files in {@code directory}, which must not exist yet. */
    public static TlsMaterial create(Path directory) throws IOException, InterruptedException {
        Files.createDirectories(directory);
        // Random per broker, and never logged: it only guards files that live as long as the broker.
        String password = UUID.randomUUID().toString();
        TlsMaterial tls = new TlsMaterial(directory.resolve("broker.p12"), directory.resolve("client.pem"),
                directory.resolve("client.p12"), directory.resolve("broker.pem"), password);
        // The broker is reached as 127.0.0.1 and Kafka clients verify the host name, so the certificate names it.
        keyPair(tls.brokerKeystore, "broker", "CN=localhost", "SAN=ip:127.0.0.1,dns:localhost", password);
        keyPair(tls.clientKeystore, "client", "CN=sensorcast-client", null, password);
        exportCertificate(tls.brokerKeystore, "broker", tls.clientTrusts, password);
        exportCertificate(tls.clientKeystore, "client", tls.brokerTrusts, password);
        return tls;
    }

    /** Listener settings, without the {@code listener.name.<name>.} prefix. */
    public Map<String, String> brokerListenerProperties() {
        return side(brokerKeystore, brokerTrusts);
    }

    /** Client settings for mutual TLS with this broker. */
    public Map<String, String> clientProperties() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("security.protocol", "SSL");
        p.putAll(side(clientKeystore, clientTrusts));
        return Map.copyOf(p);
    }

    /** Client settings that trust the broker's certificate, without a client certificate. */
    public Map<String, String> clientTrustProperties() {
        return Map.of("ssl.truststore.type", "PEM", "ssl.truststore.location", clientTrusts.toString());
    }

    // The default record string would print the password.
    @Override
    public String toString() {
        return "TlsMaterial[" + brokerKeystore.getParent() + "]";
    }

    private Map<String, String> side(Path keystore, Path trusts) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("ssl.keystore.type", "PKCS12");
        p.put("ssl.keystore.location", keystore.toString());
        p.put("ssl.keystore.password", password);
        p.put("ssl.key.password", password);
        p.put("ssl.truststore.type", "PEM");
        p.put("ssl.truststore.location", trusts.toString());
        return p;
    }

    private static void keyPair(Path keystore, String alias, String name, String extension, String password)
            throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of("-genkeypair", "-alias", alias, "-keyalg", "EC",
                "-groupname", "secp256r1", "-dname", name, "-validity", "2", "-keystore", keystore.toString(),
                "-storetype", "PKCS12", "-storepass:env", PASSWORD_VARIABLE, "-keypass:env", PASSWORD_VARIABLE));
        if (extension != null) {
            args.addAll(List.of("-ext", extension));
        }
        keytool(args, password);
    }

    private static void exportCertificate(Path keystore, String alias, Path pem, String password)
            throws IOException, InterruptedException {
        keytool(List.of("-exportcert", "-rfc", "-alias", alias, "-keystore", keystore.toString(),
                "-storetype", "PKCS12", "-storepass:env", PASSWORD_VARIABLE, "-file", pem.toString()), password);
    }

    private static void keytool(List<String> args, String password) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        // Through the environment rather than the command line, which any local user can list.
        builder.environment().put(PASSWORD_VARIABLE, password);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(KEYTOOL_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException("keytool " + args.get(0) + " did not finish within " + KEYTOOL_TIMEOUT_SECONDS + " s");
        }
        if (process.exitValue() != 0) {
            throw new IOException("keytool " + args.get(0) + " failed: " + output.strip());
        }
    }
}
