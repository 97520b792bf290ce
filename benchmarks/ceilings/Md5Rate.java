import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;

/**
 * {@code java Md5Rate.java FILE}: MiB/s of the JDK's MD5 over FILE's bytes on one core, warmed up; prints the
 * figure alone. The bound of one upload whose ETag is its content's MD5: MD5 cannot be split over cores.
 */
public class Md5Rate {

  private static final int CHUNK = 64 * 1024;
  private static final int PASSES = 3;

  public static void main(String[] args) throws Exception {
    byte[] bytes = Files.readAllBytes(Path.of(args[0]));
    MessageDigest md5 = MessageDigest.getInstance("MD5");
    for (int i = 0; i < PASSES; i++) {
      hash(md5, bytes);
    }
    long start = System.nanoTime();
    for (int i = 0; i < PASSES; i++) {
      hash(md5, bytes);
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    System.out.printf("%.3f%n", PASSES * (bytes.length / 1048576.0) / seconds);
  }

  private static void hash(MessageDigest md5, byte[] bytes) {
    for (int offset = 0; offset < bytes.length; offset += CHUNK) {
      md5.update(bytes, offset, Math.min(CHUNK, bytes.length - offset));
    }
    md5.digest();
  }
}
