package dev.pagebeam.transforms.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Provider selection with ONNX Runtime's real CUDA provider on this host (a CPU-only host: the
 * failure names the missing library; a host with CUDA 12 and cuDNN 9: the model really runs on
 * cuda:0), and the decision logic with stand-ins for the other kind of host.
 */
class ExecutionDeviceTest {
  /** A CUDA provider as on a GPU host (adds nothing, so the session still runs on the CPU here). */
  private static final class Present implements ExecutionDevice.CudaProvider {
    final List<String> added = new ArrayList<>();

    @Override
    public void add(OrtSession.SessionOptions options, int device, long limit) {
      added.add("cuda:" + device + " limit=" + limit);
    }

    @Override
    public List<String> missingLibraries() {
      return List.of();
    }
  }

  /** Whether this host has the CUDA 12 libraries ONNX Runtime's CUDA provider needs. */
  static boolean hostHasCuda() {
    return CudaLibraries.missing().isEmpty();
  }

  @Test
  void cudaOnThisHostRunsOrFailsAtStartupNamingTheMissingLibrary() throws Exception {
    if (hostHasCuda()) {
      ModelSpec cpu = new ModelSpec(ModelLocation.bundled("all-minilm-l6-v2"), DeviceRequest.parse("cpu"), 2, 0);
      ModelSpec gpu = new ModelSpec(ModelLocation.bundled("all-minilm-l6-v2"), DeviceRequest.parse("cuda"), 2, 0);
      try (EmbeddingModel onCpu = EmbeddingModel.load(cpu); EmbeddingModel onGpu = EmbeddingModel.load(gpu)) {
        assertThat(onGpu.device().name()).isEqualTo("cuda:0");
        float[] a = onCpu.embedTexts(List.of("a sentence about tide gauges"), false).vectors[0];
        float[] b = onGpu.embedTexts(List.of("a sentence about tide gauges"), false).vectors[0];
        double dot = 0;
        for (int i = 0; i < a.length; i++) {
          dot += a[i] * b[i];
        }
        assertThat(dot).as("the same vector on both devices").isGreaterThan(0.999);
      }
      return;
    }
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      assertThatThrownBy(() -> ExecutionDevice.configure(options, DeviceRequest.parse("cuda"), 2, 0,
          ExecutionDevice.ONNX_RUNTIME_CUDA))
          .isInstanceOf(ExecutionDevice.CudaUnavailableException.class)
          .hasMessageContaining("--device=cuda:0")
          .hasMessageContaining("libcublasLt.so.12")
          .hasMessageContaining("CUDA 12")
          .hasMessageContaining("--device=cpu");
    }
  }

  @Test
  void cudaFailureFromTheModelLoaderNeverFallsBackToCpu() {
    // on a host with CUDA a device that is not there fails the same way
    String device = hostHasCuda() ? "cuda:63" : "cuda:1";
    assertThatThrownBy(() -> EmbeddingModel.load(new ModelSpec(ModelLocation.bundled("all-minilm-l6-v2-q"),
        DeviceRequest.parse(device), 2, 1L << 30)))
        .isInstanceOf(ExecutionDevice.CudaUnavailableException.class)
        .hasMessageContaining("--device=" + device);
    if (hostHasCuda()) {
      return;
    }
    assertThatThrownBy(() -> EmbeddingModel.load(new ModelSpec(ModelLocation.bundled("all-minilm-l6-v2-q"),
        DeviceRequest.parse("cuda:1"), 2, 1L << 30)))
        .isInstanceOf(ExecutionDevice.CudaUnavailableException.class)
        .hasMessageContaining("--device=cuda:1")
        .hasMessageContaining("libcublasLt.so.12");
  }

  @Test
  void autoOnThisHostPicksCudaWhenItLoadsElseTheCpuAndSaysWhy() throws Exception {
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      ExecutionDevice device = ExecutionDevice.configure(options, DeviceRequest.parse("auto"), 2, 0,
          ExecutionDevice.ONNX_RUNTIME_CUDA);
      if (hostHasCuda()) {
        assertThat(device.name()).isEqualTo("cuda:0");
        assertThat(device.description()).startsWith("device: cuda:0");
        return;
      }
      assertThat(device.name()).isEqualTo("cpu");
      assertThat(device.description()).startsWith("device: cpu").contains("CUDA not used").contains("not found")
          .contains("libcudart.so.12");
    }
  }

  @Test
  void autoUsesCudaWhenItLoads() throws Exception {
    Present cuda = new Present();
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      ExecutionDevice device = ExecutionDevice.configure(options, DeviceRequest.parse("auto"), 2, 512L << 20, cuda);
      assertThat(device.name()).isEqualTo("cuda:0");
      assertThat(device.description()).contains("kSameAsRequested").contains("512 MB");
      assertThat(cuda.added).containsExactly("cuda:0 limit=536870912");
    }
  }

  @Test
  void autoFallsBackToCpuWithTheProvidersReasonWhenLibrariesExistButLoadingFails() throws Exception {
    ExecutionDevice.CudaProvider broken = new ExecutionDevice.CudaProvider() {
      @Override
      public void add(OrtSession.SessionOptions options, int device, long limit) throws OrtException {
        throw new OrtException("Failed to load library libonnxruntime_providers_cuda.so with error: "
            + "libcudnn.so.9: cannot open shared object file: No such file or directory");
      }

      @Override
      public List<String> missingLibraries() {
        return List.of();
      }
    };
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      ExecutionDevice device = ExecutionDevice.configure(options, DeviceRequest.parse("auto"), 2, 0, broken);
      assertThat(device.name()).isEqualTo("cpu");
      assertThat(device.description()).contains("libcudnn.so.9 cannot be loaded");
    }
  }

  @Test
  void explicitCpuNeverTouchesCuda() throws Exception {
    Present cuda = new Present();
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      ExecutionDevice device = ExecutionDevice.configure(options, DeviceRequest.parse("cpu"), 3, 0, cuda);
      assertThat(device.description()).isEqualTo("device: cpu, 3 intra-op threads (requested with --device=cpu)");
      assertThat(cuda.added).isEmpty();
    }
  }

  @Test
  void runsAtOnceFitTheCoresWithoutOversubscribingThem() throws Exception {
    int cores = Runtime.getRuntime().availableProcessors();
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      ExecutionDevice one = ExecutionDevice.configure(options, DeviceRequest.parse("cpu"), 1, 0, new Present());
      assertThat(EmbeddingModel.concurrentRuns(one)).isEqualTo(cores);
      ExecutionDevice all = ExecutionDevice.configure(options, DeviceRequest.parse("cpu"), cores, 0, new Present());
      assertThat(EmbeddingModel.concurrentRuns(all)).isEqualTo(1);
      // a GPU runs one batch at a time, whatever the CPU threads
      ExecutionDevice gpu = ExecutionDevice.configure(options, DeviceRequest.parse("cuda"), 1, 0, new Present());
      assertThat(EmbeddingModel.concurrentRuns(gpu)).isEqualTo(1);
    }
  }

  @Test
  void deviceNamesAreParsedStrictly() {
    assertThat(DeviceRequest.parse("cuda:2").cudaDevice()).isEqualTo(2);
    assertThat(DeviceRequest.parse("AUTO").kind()).isEqualTo(DeviceRequest.Kind.AUTO);
    assertThatThrownBy(() -> DeviceRequest.parse("tpu")).hasMessageContaining("auto, cpu, cuda or cuda:N");
    assertThatThrownBy(() -> DeviceRequest.parse("cuda:x")).hasMessageContaining("--device=cuda:x");
  }
}
