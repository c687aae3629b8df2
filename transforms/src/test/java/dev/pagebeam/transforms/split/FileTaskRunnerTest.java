package dev.pagebeam.transforms.split;

import dev.pagebeam.transforms.elements.PageText;
import dev.pagebeam.transforms.elements.TextSource;
import dev.pagebeam.transforms.core.ErrorKind;
import dev.pagebeam.transforms.core.DeadLetter;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FileTaskRunnerTest {
  private final Collected out = new Collected();
  private final List<FileTaskRunner.Failure> failures = new ArrayList<>();
  private final AtomicBoolean release = new AtomicBoolean();
  private final FileTaskRunner runner = new FileTaskRunner("test", 1, 500);

  @AfterEach
  void releaseSpinningWork() {
    release.set(true);
    runner.close();
  }

  private DocumentOutcome run(FileTaskRunner.Work work) throws InterruptedException {
    return runner.run(work, out, null, (failure, to) -> {
      failures.add(failure);
      return failure.ofFile("f.pdf", to);
    });
  }

  private static PageText page(int number) {
    return new PageText("d0c", "f.pdf", number, 100, "text of page " + number, TextSource.TEXT_LAYER, -1, null);
  }

  @Test
  void outputsArriveInOrderAndTheWorksOutcomeIsReturned() throws Exception {
    DocumentOutcome done = new DocumentOutcome();
    done.pages = 100;
    DocumentOutcome outcome = run((deadline, to, tasks) -> {
      for (int p = 1; p <= 100; p++) {
        to.pageText(page(p));
      }
      return done;
    });
    assertThat(outcome).isSameAs(done);
    assertThat(out.texts).extracting(PageText::getPage).containsExactlyElementsOf(
        java.util.stream.IntStream.rangeClosed(1, 100).boxed().toList());
    assertThat(failures).isEmpty();
  }

  @Test
  void workThatNeverLooksAtTheClockEndsAsATimeoutAndTheNextTaskRuns() throws Exception {
    long start = System.nanoTime();
    Thread[] spinner = new Thread[1];
    DocumentOutcome outcome = run((deadline, to, tasks) -> {
      spinner[0] = Thread.currentThread();
      to.pageText(page(1));
      while (!release.get()) {
        Thread.onSpinWait(); // like a loop inside one PDFBox operator: no deadline check, no interrupt check
      }
      return new DocumentOutcome();
    });
    double seconds = (System.nanoTime() - start) / 1e9;
    assertThat(seconds).as("limit 1 s + grace 0.5 s").isBetween(1.4, 5.0);
    assertThat(failures).singleElement().satisfies(f -> {
      assertThat(f.kind).isEqualTo(ErrorKind.TIMEOUT);
      assertThat(f.message).contains("--fileTimeoutSeconds").contains("did not stop").contains("abandoned");
      assertThat(f.pagesEmitted).isEqualTo(1);
    });
    assertThat(outcome.failed()).as("page 1 was emitted: only the rest is lost").isFalse();
    assertThat(out.deadLetters).singleElement().satisfies(d -> {
      assertThat(d.getErrorKind()).isEqualTo(ErrorKind.TIMEOUT);
      assertThat(d.getStage()).isEqualTo(DeadLetter.STAGE_SPLIT);
    });
    assertThat(runner.abandonedLast()).isTrue();
    assertThat(spinner[0].isAlive()).as("the abandoned work still spins").isTrue();

    // the next task gets a thread of its own and runs normally
    DocumentOutcome next = run((deadline, to, tasks) -> {
      assertThat(Thread.currentThread()).isNotSameAs(spinner[0]);
      to.pageText(page(2));
      return new DocumentOutcome();
    });
    assertThat(next.failed()).isFalse();
    assertThat(runner.abandonedLast()).isFalse();
    assertThat(out.texts).extracting(PageText::getPage).containsExactly(1, 2);
  }

  @Test
  void workThatChecksItsDeadlineStopsAtTheLimitWithItsOwnTimeout() throws Exception {
    DocumentOutcome outcome = run((deadline, to, tasks) -> {
      DocumentOutcome o = new DocumentOutcome();
      try {
        while (true) {
          deadline.check();
          Thread.sleep(10);
        }
      } catch (Deadline.Exceeded e) {
        o.deadLetters = 1;
        to.deadLetter(DeadLetter.forElement("f.pdf", "d0c", DeadLetter.STAGE_OPEN, ErrorKind.TIMEOUT, e.getMessage(),
            1, "pages 1-3"));
      }
      return o;
    });
    assertThat(failures).as("the work ended itself, nothing was abandoned").isEmpty();
    assertThat(runner.abandonedLast()).isFalse();
    assertThat(outcome.deadLetters()).isEqualTo(1);
    assertThat(out.deadLetters).singleElement().satisfies(d -> assertThat(d.getElement()).isEqualTo("pages 1-3"));
  }

  @Test
  void aStackOverflowInTheWorkIsTheFilesFailure() throws Exception {
    DocumentOutcome outcome = run((deadline, to, tasks) -> recurse(0));
    assertThat(outcome.failed()).isTrue();
    assertThat(failures).singleElement().satisfies(f -> assertThat(f.kind).isEqualTo(ErrorKind.RECURSION));
    assertThat(out.deadLetters).singleElement().satisfies(d -> {
      assertThat(d.getErrorKind()).isEqualTo(ErrorKind.RECURSION);
      assertThat(d.getMessage()).contains("FileTaskRunnerTest.recurse");
    });
  }

  @Test
  void anErrorOfTheJvmIsRethrownNotRecorded() {
    assertThatThrownBy(() -> run((deadline, to, tasks) -> {
      throw new OutOfMemoryError("Metaspace");
    })).isInstanceOf(OutOfMemoryError.class).hasMessage("Metaspace");
    assertThat(out.deadLetters).isEmpty();
  }

  @Test
  void cleanupOfAnAbandonedTaskRunsWhenItsWorkEnds() throws Exception {
    CountDownLatch cleaned = new CountDownLatch(1);
    AtomicReference<Thread> cleanedOn = new AtomicReference<>();
    Thread[] spinner = new Thread[1];
    run((deadline, to, tasks) -> {
      spinner[0] = Thread.currentThread();
      while (!release.get()) {
        Thread.onSpinWait();
      }
      return new DocumentOutcome();
    });
    runner.whenAbandonedWorkEnds(() -> {
      cleanedOn.set(Thread.currentThread());
      cleaned.countDown();
    });
    assertThat(cleaned.await(200, TimeUnit.MILLISECONDS)).as("not while the work runs").isFalse();
    release.set(true);
    assertThat(cleaned.await(5, TimeUnit.SECONDS)).isTrue();
    assertThat(cleanedOn.get()).isSameAs(spinner[0]);
  }

  private static DocumentOutcome recurse(int depth) {
    DocumentOutcome o = recurse(depth + 1);
    o.pages++;
    return o;
  }
}
