package org.acme.bank.config;

import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * {@link BankConfig}'s defaults read from the code itself, the one place they are written: by property name, and as a
 * mapping instance for tests that build a bean by hand.
 */
public final class Settings {

    private Settings() {
    }

    /** Every {@code bank.*} property with its default, such as {@code bank.transfer.lock-timeout} → {@code 5s}. */
    public static Map<String, String> defaults() {
        Map<String, String> defaults = new TreeMap<>();
        collect(BankConfig.class, BankConfig.class.getAnnotation(ConfigMapping.class).prefix(), defaults);
        return defaults;
    }

    public static String defaultOf(String property) {
        String value = defaults().get(property);
        if (value == null) {
            throw new IllegalArgumentException(property + " has no default in BankConfig");
        }
        return value;
    }

    /** A {@link BankConfig} that answers every setting with its default. */
    public static BankConfig defaultConfig() {
        return mapping(BankConfig.class, BankConfig.class.getAnnotation(ConfigMapping.class).prefix());
    }

    private static void collect(Class<?> group, String prefix, Map<String, String> defaults) {
        for (Method setting : group.getMethods()) {
            String name = prefix + "." + kebab(setting.getName());
            WithDefault value = setting.getAnnotation(WithDefault.class);
            if (value != null) {
                defaults.put(name, value.value());
            } else if (setting.getReturnType().isInterface()) {
                collect(setting.getReturnType(), name, defaults);
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static <T> T mapping(Class<T> group, String prefix) {
        return (T) Proxy.newProxyInstance(group.getClassLoader(), new Class<?>[] {group}, (proxy, setting, args) -> {
            String name = prefix + "." + kebab(setting.getName());
            WithDefault value = setting.getAnnotation(WithDefault.class);
            if (value == null) {
                return mapping(setting.getReturnType(), name);
            }
            return parse(value.value(), setting.getReturnType());
        });
    }

    private static Object parse(String value, Class<?> type) {
        if (type == int.class) {
            return Integer.parseInt(value);
        }
        if (type == boolean.class) {
            return Boolean.parseBoolean(value);
        }
        if (type == Duration.class) {
            return Duration.parse("PT" + value.toUpperCase(java.util.Locale.ROOT));
        }
        throw new IllegalArgumentException("no parser for " + type);
    }

    private static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
    }
}
