package dev.pagebeam.peers;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * A bare loop of ONNX Runtime's {@code session.run} over the same fixed batches of token ids,
 * with nothing else in the process: the ceiling of any encoder built on that ONNX Runtime version.
 * Written against the Java API that 1.20 through 1.28 share, so bench-peers runs it once with
 * pagebeam's ONNX Runtime on the classpath and once with the peers' (Spring AI's).
 *
 * <p>Usage: {@code BareOrt MODEL.onnx|RESOURCE BATCH TOKENS THREADS SECONDS [arena=on|off]};
 * prints {@code BARE_ORT {"version":..,"items_per_s":..}}.
 */
public final class BareOrt {
  private BareOrt() {}

  public static void main(String[] args) throws Exception {
    Path model = model(args[0]);
    int batch = Integer.parseInt(args[1]);
    int tokens = Integer.parseInt(args[2]);
    int threads = Integer.parseInt(args[3]);
    double seconds = Double.parseDouble(args[4]);
    boolean arena = args.length < 6 || !args[5].equals("arena=off");
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
      options.setIntraOpNumThreads(threads);
      options.setInterOpNumThreads(1);
      options.setCPUArenaAllocator(arena);
      // BARE_ORT_OPT=BASIC|EXTENDED|ALL and BARE_ORT_CONFIG="key=value;..." (session config entries),
      // to try a session option against the defaults above
      String opt = System.getenv("BARE_ORT_OPT");
      if (opt != null && !opt.isBlank()) {
        options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.valueOf(opt.trim() + "_OPT"));
      }
      String config = System.getenv("BARE_ORT_CONFIG");
      if (config != null) {
        for (String entry : config.split(";")) {
          if (entry.contains("=")) {
            options.addConfigEntry(entry.substring(0, entry.indexOf('=')).trim(),
                entry.substring(entry.indexOf('=') + 1).trim());
          }
        }
      }
      try (OrtSession session = env.createSession(model.toString(), options)) {
        // the same batches in every run: fixed seed, [CLS] ... [SEP], every token attended
        Random random = new Random(42);
        long[][] ids = new long[batch][tokens];
        long[][] mask = new long[batch][tokens];
        long[][] types = new long[batch][tokens];
        for (int b = 0; b < batch; b++) {
          for (int t = 0; t < tokens; t++) {
            ids[b][t] = t == 0 ? 101 : t == tokens - 1 ? 102 : 1000 + random.nextInt(28000);
            mask[b][t] = 1;
          }
        }
        try (OnnxTensor i = OnnxTensor.createTensor(env, ids); OnnxTensor m = OnnxTensor.createTensor(env, mask);
            OnnxTensor y = OnnxTensor.createTensor(env, types)) {
          Map<String, OnnxTensor> inputs = new HashMap<>();
          inputs.put("input_ids", i);
          inputs.put("attention_mask", m);
          if (session.getInputNames().contains("token_type_ids")) {
            inputs.put("token_type_ids", y);
          }
          for (int w = 0; w < 3; w++) {
            session.run(inputs).close();
          }
          long start = System.nanoTime();
          long items = 0;
          while (System.nanoTime() - start < seconds * 1e9) {
            session.run(inputs).close();
            items += batch;
          }
          double elapsed = (System.nanoTime() - start) / 1e9;
          System.out.printf(Locale.ROOT,
              "BARE_ORT {\"version\":\"%s\",\"batch\":%d,\"tokens\":%d,\"threads\":%d,\"arena\":%b,"
                  + "\"items_per_s\":%.1f}%n", env.getVersion(), batch, tokens, threads, arena, items / elapsed);
        }
      }
    }
  }

  /** A file path, or a resource on the classpath (the bundled model jars) copied to a temp file. */
  private static Path model(String name) throws Exception {
    Path p = Path.of(name);
    if (Files.isRegularFile(p)) {
      return p;
    }
    try (InputStream in = BareOrt.class.getResourceAsStream("/" + name)) {
      if (in == null) {
        throw new IllegalArgumentException(name + " is neither a file nor a resource on the classpath");
      }
      Path tmp = Files.createTempFile("bare-ort", ".onnx");
      tmp.toFile().deleteOnExit();
      Files.copy(in, tmp, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      return tmp;
    }
  }
}
