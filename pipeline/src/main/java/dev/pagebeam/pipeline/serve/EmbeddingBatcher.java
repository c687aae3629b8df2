package dev.pagebeam.pipeline.serve;

import dev.pagebeam.transforms.model.EmbeddingModel;
import dev.pagebeam.transforms.model.Vectors;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Embeds the texts of concurrent requests together: one thread owns the model and takes, from the
 * queue, as many waiting requests of the same kind (queries or documents) as fit in one batch. A
 * lone request is embedded at once; under load, batches fill up instead of requests queueing one
 * model call each.
 *
 * <p>A model whose vectors depend on their batch neighbours (int8 models quantize each batch's
 * activations with one scale for the whole batch: a text's vector moves by up to 0.4% with the texts
 * beside it) has each text run alone, so that the same text always gets the same vector, whoever
 * else asks at the same time. Which kind a model is, is measured when it loads, not guessed from
 * its name.
 */
final class EmbeddingBatcher {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddingBatcher.class);

  /** The vectors of one request's texts, in order, and their token count. */
  static final class Embedded {
    final float[][] vectors;
    final int tokens;

    Embedded(float[][] vectors, int tokens) {
      this.vectors = vectors;
      this.tokens = tokens;
    }
  }

  private static final class Job {
    final List<String> texts;
    final boolean query;
    final CompletableFuture<Embedded> result = new CompletableFuture<>();

    Job(List<String> texts, boolean query) {
      this.texts = texts;
      this.query = query;
    }
  }

  private static final Job STOP = new Job(List.of(), false);

  private final EmbeddingModel model;
  private final int maxBatch;
  private final boolean rowsAlone;
  private final BlockingQueue<Job> queue = new LinkedBlockingQueue<>();
  /** Guards {@link #accepting}: no job is queued after the thread stopped taking them. */
  private final Object lock = new Object();
  private boolean accepting = true;
  private final Thread worker;
  private final AtomicLong batches = new AtomicLong();
  private final AtomicLong texts = new AtomicLong();

  EmbeddingBatcher(EmbeddingModel model, int maxBatch) {
    if (maxBatch < 1) {
      throw new IllegalArgumentException("--serveBatchSize=" + maxBatch + " must be at least 1");
    }
    this.model = model;
    this.maxBatch = maxBatch;
    this.rowsAlone = !batchIndependent(model);
    if (rowsAlone) {
      LOG.info("model {} gives a text another vector when other texts share its batch (int8 quantization):"
          + " each text is embedded alone, so the same text always gets the same vector", model.manifest().id());
    }
    this.worker = new Thread(this::work, "pagebeam-embed");
    worker.setDaemon(true);
    worker.start();
  }

  /** Embeds {@code inputs} as queries (with the model's query prefix) or as documents. */
  CompletableFuture<Embedded> embed(List<String> inputs, boolean query) {
    Job job = new Job(List.copyOf(inputs), query);
    synchronized (lock) {
      if (accepting) {
        queue.add(job);
        return job.result;
      }
    }
    job.result.completeExceptionally(unavailable());
    return job.result;
  }

  /** Whether the model thread takes requests (false once it stopped, or is stopping). */
  boolean alive() {
    synchronized (lock) {
      return accepting && worker.isAlive();
    }
  }

  private static ApiError unavailable() {
    return new ApiError(503, "unavailable", "the model thread has stopped: the server is stopping or failed;"
        + " see its log");
  }

  private static final String PROBE = "The export dialog stops at ninety-nine percent.";
  private static final String NEIGHBOUR = "A longer neighbour in the same batch, padded and quantized together with"
      + " the probe, about the tide gauge, the espresso machine and the certificates of a sync server.";

  /** Whether a text's vector is the same alone and beside another text (to float rounding). */
  static boolean batchIndependent(EmbeddingModel model) {
    float[] alone = model.embedTexts(List.of(PROBE), false).vectors[0];
    float[] beside = model.embedTexts(List.of(PROBE, NEIGHBOUR), false).vectors[0];
    return Vectors.cosine(alone, beside) >= 0.99999;
  }

  /** Whether each text runs alone through the model (see the class comment). */
  boolean rowsAlone() {
    return rowsAlone;
  }

  /** How long a request waits for the model before it is answered 503. */
  static final int WAIT_SECONDS = 120;

  /** The future's value; the cause of its failure is thrown as it is. */
  static <T> T await(CompletableFuture<T> f) throws Exception {
    try {
      return f.get(WAIT_SECONDS, java.util.concurrent.TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      throw e.getCause() instanceof Exception ? (Exception) e.getCause() : e;
    } catch (java.util.concurrent.TimeoutException e) {
      throw new ApiError(503, "busy", "the model did not answer within " + WAIT_SECONDS + " s: the server is"
          + " overloaded; retry later");
    }
  }

  /** Batches taken from the queue so far (one or more requests each). */
  long batches() {
    return batches.get();
  }

  /** Texts embedded so far. */
  long texts() {
    return texts.get();
  }

  private void work() {
    try {
      takeBatches();
    } finally {
      // whatever ended the thread, no request waits for it
      synchronized (lock) {
        accepting = false;
      }
      for (Job left = queue.poll(); left != null; left = queue.poll()) {
        left.result.completeExceptionally(unavailable());
      }
    }
  }

  private void takeBatches() {
    List<Job> batch = new ArrayList<>();
    while (true) {
      Job first;
      try {
        first = queue.take();
      } catch (InterruptedException e) {
        return;
      }
      if (first == STOP) {
        return;
      }
      batch.clear();
      batch.add(first);
      int size = first.texts.size();
      // one consumer: what peek shows is what poll takes
      for (Job next = queue.peek(); next != null && next != STOP && next.query == first.query
          && size + next.texts.size() <= maxBatch; next = queue.peek()) {
        batch.add(queue.poll());
        size += next.texts.size();
      }
      run(batch, first.query);
    }
  }

  private void run(List<Job> jobs, boolean query) {
    List<String> all = new ArrayList<>();
    jobs.forEach(j -> all.addAll(j.texts));
    float[][] vectors = new float[all.size()][];
    int[] tokens = new int[all.size()];
    try {
      // a request larger than a batch is embedded a batch at a time
      int step = rowsAlone ? 1 : maxBatch;
      for (int from = 0; from < all.size(); from += step) {
        int to = Math.min(all.size(), from + step);
        EmbeddingModel.TextVectors v = model.embedTexts(all.subList(from, to), query);
        System.arraycopy(v.vectors, 0, vectors, from, to - from);
        System.arraycopy(v.tokens, 0, tokens, from, to - from);
      }
      batches.incrementAndGet();
      texts.addAndGet(all.size());
    } catch (RuntimeException | Error e) {
      if (e instanceof VirtualMachineError) {
        jobs.forEach(j -> j.result.completeExceptionally(e));
        throw (VirtualMachineError) e; // the JVM's own failure ends the thread (and work() fails the queue)
      }
      if (jobs.size() > 1) {
        // one request's text must not fail the others it was batched with: each again, alone
        jobs.forEach(j -> run(List.of(j), query));
        return;
      }
      LOG.warn("embedding a request of {} texts failed: {}", all.size(), e.toString());
      jobs.get(0).result.completeExceptionally(e);
      return;
    }
    int at = 0;
    for (Job j : jobs) {
      int n = j.texts.size();
      float[][] mine = new float[n][];
      int count = 0;
      for (int i = 0; i < n; i++) {
        mine[i] = vectors[at + i];
        count += tokens[at + i];
      }
      at += n;
      j.result.complete(new Embedded(mine, count));
    }
  }

  /**
   * Takes no more requests, lets the queued ones finish, and stops the thread. Returns false when
   * the thread is still inside the model after a minute: the model must then not be closed.
   */
  boolean stop() {
    synchronized (lock) {
      accepting = false;
    }
    queue.add(STOP);
    try {
      worker.join(60_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return !worker.isAlive();
  }
}
