package org.rxrpc.rxgen.model;

/** Integer literals as C reads them: decimal, 0x hex, 0 octal, an optional minus sign. */
final class Numbers {
    private Numbers() {}

    /** The value of a literal, or null if {@code s} is not one. */
    static Long parse(String s) {
        if (s == null || s.isEmpty()) return null;
        boolean negative = s.startsWith("-");
        String digits = negative ? s.substring(1) : s;
        if (digits.isEmpty() || !Character.isDigit(digits.charAt(0))) return null;
        try {
            long v;
            if (digits.startsWith("0x") || digits.startsWith("0X")) v = Long.parseLong(digits.substring(2), 16);
            else if (digits.length() > 1 && digits.startsWith("0")) v = Long.parseLong(digits.substring(1), 8);
            else v = Long.parseLong(digits);
            return negative ? -v : v;
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
