package io.sensorcast.bench.service;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code --name value} command-line flags; an unknown or valueless flag stops the harness naming it. */
public final class Args {

    private final Map<String, String> values = new HashMap<>();

    public Args(String[] args, Set<String> known) {
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            if (!flag.startsWith("--") || !known.contains(flag.substring(2))) {
                throw new IllegalArgumentException("unknown argument '" + flag + "'; known flags: --"
                        + String.join(", --", known.stream().sorted().toList()));
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(flag + " needs a value");
            }
            values.put(flag.substring(2), args[++i]);
        }
    }

    public String string(String name, String fallback) {
        return values.getOrDefault(name, fallback);
    }

    public int integer(String name, int fallback) {
        String v = values.get(name);
        try {
            return v == null ? fallback : Integer.parseInt(v.replace("_", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + ": '" + v + "' is not an integer", e);
        }
    }

    public List<String> list(String name, String fallback) {
        return Arrays.stream(string(name, fallback).split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }
}
