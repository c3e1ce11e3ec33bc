package io.cloudfunc.contracts.function;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Kubernetes-style resource quantities, read the same way by the gateway (seed 002's {@code config}) and the CLI
 * ({@code --cpu}): CPU as {@code "100m"} (thousandths) or {@code "0.5"} (CPUs), memory as {@code "128Mi"},
 * {@code "1Gi"}, {@code "512M"} or a number of bytes. A value that cannot be read is an
 * {@link IllegalArgumentException} whose message says what is expected, without naming the field.
 */
public final class ResourceQuantities {

    private static final Pattern CPU = Pattern.compile("(\\d+(?:\\.\\d+)?|\\.\\d+)(m?)");
    private static final Pattern MEMORY = Pattern.compile("(\\d+(?:\\.\\d+)?|\\.\\d+)(Ki|Mi|Gi|Ti|k|M|G|T)?");
    private static final BigDecimal THOUSAND = BigDecimal.valueOf(1000);
    private static final BigDecimal MIB = BigDecimal.valueOf(1024 * 1024);
    public static final String CPU_RULE = "a CPU quantity such as \"100m\" (thousandths of a CPU) or \"0.5\" (CPUs)";
    public static final String MEMORY_RULE = "a memory quantity such as \"128Mi\", \"1Gi\" or \"512M\"";

    private ResourceQuantities() {
    }

    /** {@code "100m"} -> 100, {@code "0.5"} -> 500, {@code "2"} -> 2000. */
    public static int cpuMillis(String quantity) {
        Matcher match = quantity == null ? null : CPU.matcher(quantity.strip());
        if (match == null || !match.matches()) {
            throw new IllegalArgumentException("expected " + CPU_RULE);
        }
        BigDecimal value = new BigDecimal(match.group(1));
        BigDecimal millis = match.group(2).isEmpty() ? value.multiply(THOUSAND) : value;
        if (millis.signum() == 0) {
            throw new IllegalArgumentException("a CPU limit must be more than 0");
        }
        if (millis.stripTrailingZeros().scale() > 0) {
            throw new IllegalArgumentException("a CPU limit is set in whole thousandths of a CPU (1m = 0.001)");
        }
        return intValue(millis, "a CPU limit");
    }

    /** {@code "128Mi"} -> 128, {@code "1Gi"} -> 1024, {@code "512M"} -> 489 (512,000,000 bytes, rounded up). */
    public static int memoryMb(String quantity) {
        Matcher match = quantity == null ? null : MEMORY.matcher(quantity.strip());
        if (match == null || !match.matches()) {
            throw new IllegalArgumentException("expected " + MEMORY_RULE);
        }
        BigDecimal bytes = new BigDecimal(match.group(1)).multiply(multiplier(match.group(2)));
        if (bytes.signum() == 0) {
            throw new IllegalArgumentException("a memory limit must be more than 0");
        }
        return intValue(bytes.divide(MIB, 0, RoundingMode.CEILING), "a memory limit");
    }

    private static BigDecimal multiplier(String suffix) {
        if (suffix == null) {
            return BigDecimal.ONE;
        }
        return switch (suffix) {
            case "k" -> BigDecimal.valueOf(1000L);
            case "M" -> BigDecimal.valueOf(1000L * 1000);
            case "G" -> BigDecimal.valueOf(1000L * 1000 * 1000);
            case "T" -> BigDecimal.valueOf(1000L * 1000 * 1000 * 1000);
            case "Ki" -> BigDecimal.valueOf(1024L);
            case "Mi" -> MIB;
            case "Gi" -> BigDecimal.valueOf(1024L * 1024 * 1024);
            default -> BigDecimal.valueOf(1024L * 1024 * 1024 * 1024); // Ti
        };
    }

    private static int intValue(BigDecimal value, String what) {
        if (value.compareTo(BigDecimal.valueOf(Integer.MAX_VALUE)) > 0) {
            throw new IllegalArgumentException(what + " that large is not possible");
        }
        return value.intValueExact();
    }
}
