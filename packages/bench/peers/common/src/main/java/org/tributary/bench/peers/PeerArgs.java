package org.tributary.bench.peers;

import java.util.HashMap;
import java.util.Map;

/** `--name value` pairs of a peer's command line; a missing or malformed one fails naming the flag. */
public final class PeerArgs {
  private final Map<String, String> values = new HashMap<>();

  public PeerArgs(String[] args) {
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (!arg.startsWith("--") || i + 1 >= args.length) {
        throw new IllegalArgumentException("expected --name value pairs, got " + arg);
      }
      values.put(arg.substring(2), args[++i]);
    }
  }

  public String string(String name) {
    String value = values.get(name);
    if (value == null || value.isEmpty()) throw new IllegalArgumentException("--" + name + " is required");
    return value;
  }

  public long millis(String name) {
    String value = string(name);
    try {
      long ms = Long.parseLong(value);
      if (ms < 0) throw new NumberFormatException();
      return ms;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--" + name + " must be a number of milliseconds >= 0, got " + value);
    }
  }

  public int positiveInt(String name) {
    return intAtLeast(name, 1, "a positive integer");
  }

  public int nonNegativeInt(String name) {
    return intAtLeast(name, 0, "an integer >= 0");
  }

  private int intAtLeast(String name, int min, String what) {
    String value = string(name);
    try {
      int n = Integer.parseInt(value);
      if (n < min) throw new NumberFormatException();
      return n;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--" + name + " must be " + what + ", got " + value);
    }
  }
}
