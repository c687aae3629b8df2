package dev.pagebeam.transforms.split;

import dev.pagebeam.transforms.elements.PageText;
import dev.pagebeam.transforms.elements.ElementType;
import dev.pagebeam.transforms.elements.PdfElement;
import dev.pagebeam.transforms.core.FileFaults;
import dev.pagebeam.transforms.core.ErrorKind;
import dev.pagebeam.transforms.core.DeadLetter;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one file task (a document, a page range, an OCR task) on a thread of its own, under a time
 * limit that holds even where PDFBox never looks at the clock.
 *
 * <p>Why a thread: PDFBox does not check interrupts, and {@code Thread.stop} is unsafe (it releases
 * locks mid-update, and Java 20 removed it). The splitter checks its {@link Deadline} between
 * content-stream operators, between pages and on reads of the file's bytes, which stops nearly every
 * slow file at the limit. For what those checks cannot reach (a loop inside one operator or one
 * image decoder), this runner stops waiting: at the limit it expires the deadline, gives the work
 * {@code grace} to notice, and then ends the task as a {@code TIMEOUT} and goes on with a fresh
 * thread. The abandoned thread runs until it ends or reaches a check; it costs at most one core
 * meanwhile, never the run, and is logged with where it is stuck.
 *
 * <p>Outputs cross from the work thread to the caller's thread through a small bounded queue,
 * because Beam's receivers may only be called from the thread running {@code processElement}; the
 * queue keeps memory bounded and the elements in page order.
 */
final class FileTaskRunner implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(FileTaskRunner.class);
  private static final AtomicInteger THREADS = new AtomicInteger();
  private static final int QUEUE_SIZE = 16;
  /** How long a task may take to stop after its deadline expired before it is abandoned. */
  static final long GRACE_MILLIS = 10_000;

  /** The work of one task: the splitter's call, writing to the outputs it is given. */
  interface Work {
    DocumentOutcome run(Deadline deadline, SplitOutput out, PdfDocumentSplitter.TaskSink tasks) throws Exception;
  }

  /** How a task ended when it did not return an outcome itself. */
  static final class Failure {
    final ErrorKind kind;
    final String message;
    /** Pages whose text or thumbnail the task emitted before it failed. */
    final int pagesEmitted;
    final boolean emittedAnything;

    Failure(ErrorKind kind, String message, Relay relay) {
      this.kind = kind;
      this.message = message;
      this.pagesEmitted = relay.pages.size();
      this.emittedAnything = relay.any;
    }

    /**
     * The outcome of a whole file that failed so: failed as a whole when nothing of it was
     * emitted, else the pages emitted stay and the rest is one dead letter.
     */
    DocumentOutcome ofFile(String source, SplitOutput out) {
      DocumentOutcome outcome = new DocumentOutcome();
      outcome.pages = pagesEmitted;
      outcome.deadLetters = 1;
      if (emittedAnything) {
        out.deadLetter(DeadLetter.forElement(source, null, DeadLetter.STAGE_SPLIT, kind,
            message + "; what was emitted before is kept", 0, "the rest of the file"));
      } else {
        outcome.failed = true;
        outcome.failure = kind.name() + ": " + message;
        out.deadLetter(DeadLetter.forFile(source, null, DeadLetter.STAGE_SPLIT, kind, message));
      }
      return outcome;
    }

    /** The outcome of a planned task (a page range, an OCR task) that failed so. */
    DocumentOutcome ofTask(DocumentTask task, String stage, SplitOutput out) {
      DocumentOutcome outcome = new DocumentOutcome();
      outcome.pages = pagesEmitted;
      outcome.deadLetters = 1;
      out.deadLetter(DeadLetter.forElement(task.source(), task.documentId(), stage, kind,
          message + (emittedAnything ? "; what was emitted before is kept" : ""), task.firstPage(), task.describe()));
      return outcome;
    }
  }

  /** Makes the outcome (and dead letter) of a task that timed out without stopping, or that threw. */
  interface OnFailure {
    DocumentOutcome failed(Failure failure, SplitOutput out);
  }

  private final String name;
  private final int seconds;
  private final long graceMillis;
  private Thread worker;
  private BlockingQueue<Runnable> jobs;
  /** The last task's handoff when that task was abandoned, else null. */
  private Handoff abandoned;

  /**
   * @param name names the threads ("ExtractPages")
   * @param seconds the time limit of one task
   * @param graceMillis how long a task may take to stop after its deadline expired
   */
  FileTaskRunner(String name, int seconds, long graceMillis) {
    this.name = name;
    this.seconds = seconds;
    this.graceMillis = graceMillis;
  }

  /**
   * Runs {@code work} and relays its outputs to {@code out} and {@code tasks} on this thread; returns
   * its outcome, or {@code onFailure}'s when it timed out without stopping or threw. An Error that
   * is not the file's ({@link FileFaults#isPerFile}) is rethrown here.
   */
  DocumentOutcome run(Work work, SplitOutput out, PdfDocumentSplitter.TaskSink tasks, OnFailure onFailure)
      throws InterruptedException {
    Deadline deadline = Deadline.inSeconds(seconds);
    Handoff handoff = new Handoff();
    abandoned = null;
    PdfDocumentSplitter.TaskSink relayedTasks = tasks == null ? null : handoff::task;
    Thread thread = submit(() -> handoff.finish(() -> work.run(deadline, handoff, relayedTasks)));
    long limit = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    Relay relay = new Relay(out, tasks);
    boolean returned = false;
    long start = System.nanoTime();
    try {
      DocumentOutcome outcome = await(handoff, thread, deadline, limit, relay, out, onFailure);
      outcome.millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      returned = true;
      return outcome;
    } finally {
      if (!returned && !handoff.finished()) {
        // interrupted, or an Error that is not the file's: nobody waits for this task any more
        handoff.abandon();
        retire(thread);
      }
    }
  }

  private DocumentOutcome await(Handoff handoff, Thread thread, Deadline deadline, long limit, Relay relay,
      SplitOutput out, OnFailure onFailure) throws InterruptedException {
    boolean expired = false;
    while (true) {
      long now = System.nanoTime();
      if (!expired && now - limit >= 0) {
        // the cooperative stop: the splitter names the pages it did not do
        deadline.expire();
        expired = true;
        limit = now + TimeUnit.MILLISECONDS.toNanos(graceMillis);
      } else if (expired && now - limit >= 0) {
        String where = stuckAt(thread);
        handoff.abandon();
        abandoned = handoff;
        retire(thread);
        LOG.warn("{}: a task did not stop {} ms after its limit of {} s; left to end on its own, stuck at {}",
            name, graceMillis, seconds, where);
        return onFailure.failed(new Failure(ErrorKind.TIMEOUT, Deadline.Exceeded.message(seconds)
            + " and did not stop (stuck at " + where + "); it was abandoned", relay), out);
      }
      Object item = handoff.queue.poll(limit - now, TimeUnit.NANOSECONDS);
      if (item instanceof Done) {
        return ((Done) item).outcome;
      } else if (item instanceof Threw) {
        Throwable t = ((Threw) item).throwable;
        FileFaults.rethrowIfNotPerFile(t);
        if (t instanceof Deadline.Exceeded) {
          return onFailure.failed(new Failure(ErrorKind.TIMEOUT, t.getMessage(), relay), out);
        }
        ErrorKind kind = t instanceof java.io.IOException ? ErrorKind.IO_ERROR : FileFaults.kind(t, ErrorKind.DAMAGED);
        return onFailure.failed(new Failure(kind, FileFaults.describe(t), relay), out);
      } else if (item != null) {
        relay.accept(item);
      }
    }
  }

  /** True when the last task did not stop and still runs on its abandoned thread. */
  boolean abandonedLast() {
    return abandoned != null;
  }

  /**
   * Runs {@code cleanup} on the last task's abandoned thread once its work ends (at once if it
   * has): for resources that work may still be using, such as a native OCR engine.
   */
  void whenAbandonedWorkEnds(Runnable cleanup) {
    if (abandoned != null) {
      abandoned.whenFinished(cleanup);
    }
  }

  /** Hands {@code job} to the worker thread, starting one when there is none. */
  private Thread submit(Runnable job) {
    if (worker == null) {
      BlockingQueue<Runnable> queue = new ArrayBlockingQueue<>(1);
      Thread t = new Thread(() -> {
        try {
          while (true) {
            queue.take().run();
          }
        } catch (InterruptedException e) {
          // closed or retired
        }
      }, "pagebeam-" + name + "-" + THREADS.incrementAndGet());
      t.setDaemon(true);
      t.start();
      worker = t;
      jobs = queue;
    }
    jobs.add(job);
    return worker;
  }

  /** Leaves {@code thread} to finish its task alone; the next task gets a new thread. */
  private void retire(Thread thread) {
    thread.interrupt();
    worker = null;
    jobs = null;
  }

  private static String stuckAt(Thread thread) {
    return Arrays.stream(thread.getStackTrace()).limit(3).map(f -> {
      String c = f.getClassName();
      return c.substring(c.lastIndexOf('.') + 1) + "." + f.getMethodName();
    }).collect(Collectors.joining(" <- "));
  }

  @Override
  public void close() {
    if (worker != null) {
      retire(worker);
    }
  }

  private static final class Done {
    final DocumentOutcome outcome;

    Done(DocumentOutcome outcome) {
      this.outcome = outcome;
    }
  }

  private static final class Threw {
    final Throwable throwable;

    Threw(Throwable throwable) {
      this.throwable = throwable;
    }
  }

  /** The work thread's side: its outputs, queued for the caller's thread until it is abandoned. */
  private static final class Handoff implements SplitOutput {
    final BlockingQueue<Object> queue = new ArrayBlockingQueue<>(QUEUE_SIZE);
    private volatile boolean abandoned;
    private boolean finished;
    private Runnable cleanup;

    void finish(Work0 work) {
      Object result;
      try {
        result = new Done(work.run());
      } catch (Throwable t) {
        result = new Threw(t);
      }
      try {
        put(result);
      } catch (Deadline.Exceeded e) {
        // nobody waits for this task any more
      }
      Runnable then;
      synchronized (this) {
        finished = true;
        then = cleanup;
      }
      if (then != null) {
        then.run();
      }
    }

    synchronized boolean finished() {
      return finished;
    }

    void abandon() {
      abandoned = true;
    }

    void whenFinished(Runnable then) {
      synchronized (this) {
        if (!finished) {
          cleanup = then;
          return;
        }
      }
      then.run();
    }

    /** Blocks while the queue is full; once abandoned, unwinds the work at its next output. */
    private void put(Object item) {
      try {
        while (!queue.offer(item, 100, TimeUnit.MILLISECONDS)) {
          if (abandoned) {
            throw new Deadline.Exceeded(0);
          }
        }
      } catch (InterruptedException e) {
        // retire() interrupts an abandoned thread; the work cannot be interrupted, its outputs can
        Thread.currentThread().interrupt();
        throw new Deadline.Exceeded(0);
      }
      if (abandoned) {
        throw new Deadline.Exceeded(0);
      }
    }

    void task(DocumentTask task) {
      put(task);
    }

    @Override
    public void pageText(PageText page) {
      put(page);
    }

    @Override
    public void image(PdfElement image) {
      put(image);
    }

    @Override
    public void deadLetter(DeadLetter deadLetter) {
      put(deadLetter);
    }
  }

  private interface Work0 {
    DocumentOutcome run() throws Exception;
  }

  /** The caller's side: passes each output on, and remembers what was passed. */
  static final class Relay {
    final SplitOutput out;
    final PdfDocumentSplitter.TaskSink tasks;
    final Set<Integer> pages = new HashSet<>();
    boolean any;

    Relay(SplitOutput out, PdfDocumentSplitter.TaskSink tasks) {
      this.out = out;
      this.tasks = tasks;
    }

    void accept(Object item) {
      any = true;
      if (item instanceof PageText) {
        pages.add(((PageText) item).getPage());
        out.pageText((PageText) item);
      } else if (item instanceof PdfElement) {
        PdfElement e = (PdfElement) item;
        if (e.getType() == ElementType.PAGE_IMAGE) {
          pages.add(e.getPage());
        }
        out.image(e);
      } else if (item instanceof DeadLetter) {
        out.deadLetter((DeadLetter) item);
      } else if (item instanceof DocumentTask) {
        if (tasks == null) {
          throw new IllegalStateException("a task was planned but there is no task sink: " + item);
        }
        tasks.task((DocumentTask) item);
      }
    }
  }
}
