package dev.pagebeam.transforms.model;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.providers.OrtCUDAProviderOptions;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Chooses where ONNX Runtime runs and configures a session for it. {@code cuda} fails with the
 * reason when the CUDA provider cannot load; {@code auto} falls back to the CPU and says why; the
 * choice is described in one line that the model cache logs once per load.
 */
public final class ExecutionDevice {
  private static final Pattern MISSING_SO = Pattern.compile("(lib[\\w.+-]+\\.so[\\w.]*): cannot open shared object");

  /** Adds the CUDA provider to session options; separate so the selection logic is testable. */
  public interface CudaProvider {
    void add(OrtSession.SessionOptions options, int device, long memoryLimitBytes) throws OrtException;

    /** Required libraries not found on this host (see {@link CudaLibraries}). */
    List<String> missingLibraries();
  }

  /** The real provider: ONNX Runtime's CUDA execution provider. */
  public static final CudaProvider ONNX_RUNTIME_CUDA = new CudaProvider() {
    @Override
    public void add(OrtSession.SessionOptions options, int device, long memoryLimitBytes) throws OrtException {
      OrtCUDAProviderOptions cuda = new OrtCUDAProviderOptions(device);
      // grow the arena by what is requested, not by powers of two: less fragmentation
      cuda.add("arena_extend_strategy", "kSameAsRequested");
      if (memoryLimitBytes > 0) {
        cuda.add("gpu_mem_limit", Long.toString(memoryLimitBytes));
      }
      options.addCUDA(cuda);
    }

    @Override
    public List<String> missingLibraries() {
      return CudaLibraries.missing();
    }
  };

  /** Thrown when {@code --device=cuda} cannot be honoured. */
  public static final class CudaUnavailableException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    CudaUnavailableException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private final String name;
  private final String description;
  private final int cpuThreads;

  private ExecutionDevice(String name, String description, int cpuThreads) {
    this.name = name;
    this.description = description;
    this.cpuThreads = cpuThreads;
  }

  /** Intra-op threads of one run on the CPU; 0 on CUDA. */
  public int cpuThreads() {
    return cpuThreads;
  }

  /** "cpu" or "cuda:0". */
  public String name() {
    return name;
  }

  /** The one line logged for the choice, with the fallback reason if any. */
  public String description() {
    return description;
  }

  public boolean isCuda() {
    return name.startsWith("cuda");
  }

  /**
   * Configures {@code options} for the request and returns the device chosen.
   *
   * @param cpuThreads intra-op threads on the CPU (ignored on CUDA)
   * @param cudaMemoryLimitBytes CUDA arena limit, 0 for none
   */
  public static ExecutionDevice configure(OrtSession.SessionOptions options, DeviceRequest request, int cpuThreads,
      long cudaMemoryLimitBytes, CudaProvider cuda) throws OrtException {
    switch (request.kind()) {
      case CPU:
        return cpu(options, cpuThreads, "requested with --device=cpu");
      case CUDA:
        try {
          cuda.add(options, request.cudaDevice(), cudaMemoryLimitBytes);
          return cudaDevice(request.cudaDevice(), cudaMemoryLimitBytes, "requested with --device=" + request);
        } catch (OrtException | RuntimeException | UnsatisfiedLinkError e) {
          throw new CudaUnavailableException(cudaFailure(request, e, cuda.missingLibraries()), e);
        }
      case AUTO:
      default:
        List<String> missing = cuda.missingLibraries();
        if (!missing.isEmpty()) {
          return cpu(options, cpuThreads, "--device=auto: CUDA not used, " + String.join(", ", missing)
              + " not found (a GPU host needs CUDA 12 and cuDNN 9)");
        }
        try {
          cuda.add(options, 0, cudaMemoryLimitBytes);
          return cudaDevice(0, cudaMemoryLimitBytes, "--device=auto found CUDA");
        } catch (OrtException | RuntimeException | UnsatisfiedLinkError e) {
          return cpu(options, cpuThreads, "--device=auto: CUDA not used, its provider failed to load: " + shortReason(e));
        }
    }
  }

  private static ExecutionDevice cpu(OrtSession.SessionOptions options, int threads, String why) throws OrtException {
    options.setIntraOpNumThreads(threads);
    options.setInterOpNumThreads(1);
    return new ExecutionDevice("cpu", "device: cpu, " + threads + " intra-op threads (" + why + ")", threads);
  }

  private static ExecutionDevice cudaDevice(int device, long limit, String why) {
    return new ExecutionDevice("cuda:" + device, "device: cuda:" + device + ", arena kSameAsRequested"
        + (limit > 0 ? ", memory limit " + (limit >> 20) + " MB" : "") + " (" + why + ")", 0);
  }

  static String cudaFailure(DeviceRequest request, Throwable e, List<String> missing) {
    StringBuilder b = new StringBuilder("--device=").append(request)
        .append(": ONNX Runtime's CUDA provider could not load: ").append(shortReason(e)).append('.');
    if (!missing.isEmpty()) {
      b.append(" Not found on this host: ").append(String.join(", ", missing)).append('.');
    }
    b.append(" The ONNX Runtime Java GPU build needs CUDA 12 (libcudart.so.12, libcublas.so.12, libcublasLt.so.12,"
        + " libcurand.so.10), cuDNN 9 (libcudnn.so.9) and the NVIDIA driver (libcuda.so.1) on the library path"
        + " (LD_LIBRARY_PATH or ldconfig); CUDA 13 alone does not work. Check with"
        + " 'bin/pagebeam inspect-model --device=cuda', or run with --device=cpu.");
    return b.toString();
  }

  /** The missing library when the loader said which, else the first line of the message. */
  static String shortReason(Throwable e) {
    String message = String.valueOf(e.getMessage());
    Matcher m = MISSING_SO.matcher(message);
    if (m.find()) {
      return m.group(1) + " cannot be loaded (cannot open shared object file)";
    }
    String first = message.split("\n", 2)[0];
    return first.length() > 300 ? first.substring(0, 300) + "..." : first;
  }
}
