package org.rxrpc.runtime;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Byte counts with an optional K, M or G suffix (KiB, MiB, GiB), as the C rxperf peers take them. */
final class ByteSizeConverter implements ITypeConverter<Long> {
    static final long MAX = Integer.MAX_VALUE;
    private static final Pattern SIZE = Pattern.compile("(\\d{1,12})\\s*([KMG]?)(?:I?B)?");

    @Override
    public Long convert(String value) {
        return parse(value);
    }

    static long parse(String value) {
        Matcher m = SIZE.matcher(value.trim().toUpperCase(Locale.ROOT));
        if (!m.matches()) throw bad(value);
        int shift = m.group(2).isEmpty() ? 0 : 10 * ("KMG".indexOf(m.group(2)) + 1);
        long n = Long.parseLong(m.group(1));
        if (n > (MAX >> shift)) throw bad(value);
        return n << shift;
    }

    private static TypeConversionException bad(String value) {
        return new TypeConversionException("bad size '" + value + "' (0 .. 2^31-1, suffixes K/M/G)");
    }
}
