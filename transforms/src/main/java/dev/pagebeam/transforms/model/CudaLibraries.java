package dev.pagebeam.transforms.model;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Finds which of the shared libraries ONNX Runtime's CUDA provider (a CUDA 12 build) needs are
 * missing on this host, the way the dynamic loader would look: LD_LIBRARY_PATH, the ldconfig
 * cache and the usual CUDA directories.
 */
public final class CudaLibraries {
  /** What libonnxruntime_providers_cuda.so links against (readelf) plus cuDNN, loaded at run time. */
  public static final List<String> REQUIRED = List.of(
      "libcuda.so.1", "libcudart.so.12", "libcublas.so.12", "libcublasLt.so.12", "libcurand.so.10", "libcudnn.so.9");

  private CudaLibraries() {}

  /** The required libraries the loader would not find here. */
  public static List<String> missing() {
    Set<String> found = new HashSet<>(ldconfigCache());
    List<String> dirs = new ArrayList<>();
    String ld = System.getenv("LD_LIBRARY_PATH");
    if (ld != null) {
      dirs.addAll(List.of(ld.split(File.pathSeparator)));
    }
    dirs.addAll(List.of("/usr/local/cuda/lib64", "/usr/local/cuda-12/lib64", "/usr/lib/x86_64-linux-gnu",
        "/usr/lib64", "/lib/x86_64-linux-gnu", "/usr/lib/wsl/lib"));
    List<String> missing = new ArrayList<>();
    for (String lib : REQUIRED) {
      boolean present = found.contains(lib)
          || dirs.stream().filter(d -> !d.isEmpty()).anyMatch(d -> Files.exists(Path.of(d, lib)));
      if (!present) {
        missing.add(lib);
      }
    }
    return missing;
  }

  private static Set<String> ldconfigCache() {
    Set<String> libs = new HashSet<>();
    for (String ldconfig : List.of("/sbin/ldconfig", "/usr/sbin/ldconfig")) {
      if (!Files.isExecutable(Path.of(ldconfig))) {
        continue;
      }
      try {
        Process p = new ProcessBuilder(ldconfig, "-p").redirectErrorStream(true).start();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
          String line;
          while ((line = r.readLine()) != null) {
            String t = line.trim();
            int space = t.indexOf(' ');
            if (space > 0) {
              libs.add(t.substring(0, space));
            }
          }
        }
        p.waitFor(5, TimeUnit.SECONDS);
        return libs;
      } catch (Exception e) {
        // no usable ldconfig: the directory scan decides
      }
    }
    return libs;
  }
}
