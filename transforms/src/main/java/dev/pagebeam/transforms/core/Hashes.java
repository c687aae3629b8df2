package dev.pagebeam.transforms.core;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** SHA-256 as lower-case hex: content hashes of files, images and texts, and the input of element ids. */
public final class Hashes {
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private Hashes() {}

  /** SHA-256 of the bytes, as lower-case hex. */
  public static String sha256Hex(byte[] bytes) {
    return hex(newSha256().digest(bytes), 32);
  }

  /** SHA-256 of the UTF-8 bytes of the text, as lower-case hex. */
  public static String sha256Hex(String text) {
    return sha256Hex(text.getBytes(StandardCharsets.UTF_8));
  }

  /** A fresh SHA-256 digest, for hashing a stream. */
  public static MessageDigest newSha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }

  /** The first {@code bytes} bytes of the digest, as lower-case hex. */
  public static String hex(byte[] digest, int bytes) {
    char[] out = new char[bytes * 2];
    for (int i = 0; i < bytes; i++) {
      out[2 * i] = HEX[(digest[i] >> 4) & 0xf];
      out[2 * i + 1] = HEX[digest[i] & 0xf];
    }
    return new String(out);
  }
}
