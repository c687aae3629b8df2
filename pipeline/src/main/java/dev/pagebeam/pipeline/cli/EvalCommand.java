package dev.pagebeam.pipeline.cli;

import dev.pagebeam.pipeline.search.Evaluation;
import dev.pagebeam.pipeline.search.SearchMode;
import dev.pagebeam.pipeline.search.Searcher;

import dev.pagebeam.pipeline.output.Json;
import dev.pagebeam.pipeline.options.EvalOptions;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pagebeam.io.store.SearchHit;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * {@code pagebeam eval}: retrieval measured on the user's own questions. Each question names the
 * PDF and the pages that answer it; a result is relevant when it is from one of those pages (the
 * first result from a page counts, later ones from the same page add nothing). Prints recall@k,
 * MRR@10 and nDCG@10, overall and per file, and the questions missed with their best rank.
 */
final class EvalCommand {
  private EvalCommand() {}

  static void run(EvalOptions o, boolean modelGiven, PrintStream out) throws Exception {
    if (o.getQueries().isBlank()) {
      throw new IllegalArgumentException("give --queries=FILE, a TSV of FILE.pdf<TAB>PAGES<TAB>QUESTION lines");
    }
    if (!o.getText().isBlank() || !o.getImage().isBlank()) {
      throw new IllegalArgumentException("eval reads its questions from --queries; --text and --image are for query");
    }
    if (o.getK() < 1) {
      throw new IllegalArgumentException("--k=" + o.getK() + " must be at least 1");
    }
    List<Evaluation.Question> questions = Evaluation.Question.read(Path.of(o.getQueries()));
    int depth = Math.max(Evaluation.DEPTH, o.getK());
    List<Evaluation.Scored> scored = new ArrayList<>();
    List<Double> millis = new ArrayList<>();
    String target;
    String model;
    SearchMode mode;
    try (Searcher searcher = Searcher.open(o, modelGiven)) {
      target = searcher.describeTarget();
      model = searcher.modelId();
      mode = SearchMode.of(o.getMode(), searcher.store());
      // one query first, unmeasured: the model's first run and the sink's first answer warm up
      searcher.search(questions.get(0).text, depth, mode);
      for (Evaluation.Question q : questions) {
        long started = System.nanoTime();
        List<SearchHit> hits = searcher.search(q.text, depth, mode);
        millis.add((System.nanoTime() - started) / 1e6);
        scored.add(Evaluation.Scored.of(q, hits, o.getK()));
      }
    }
    Evaluation.Report report = new Evaluation.Report(scored, o.getK(), mode.label()).withLatency(millis);
    if (o.getJson()) {
      out.println(Json.write(report.json(target, model)));
    } else {
      report.print(out, target, model);
    }
  }
}
