package dev.pagebeam.pipeline.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pagebeam.io.store.Fusion;
import dev.pagebeam.io.store.Rankings;
import dev.pagebeam.io.store.SearchHit;
import dev.pagebeam.pipeline.options.EvalOptions;
import dev.pagebeam.pipeline.output.Json;
import dev.pagebeam.pipeline.search.Evaluation;
import dev.pagebeam.pipeline.search.SearchMode;
import dev.pagebeam.pipeline.search.Searcher;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code pagebeam eval}: retrieval measured on the user's own questions. Each question names the
 * PDF and the pages that answer it; a result is relevant when it is from one of those pages (the
 * first result from a page counts, later ones from the same page add nothing). Prints recall@k,
 * MRR@10 and nDCG@10, overall and per file, and the questions missed with their best rank; with
 * {@code --mode=all}, every mode the sink has side by side, from the same two rankings.
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
    Fusion fusion = Searcher.fusion(o);
    List<Evaluation.Question> questions = Evaluation.Question.read(Path.of(o.getQueries()));
    boolean all = o.getMode().equalsIgnoreCase("all");
    int depth = Math.max(Evaluation.DEPTH, o.getK());
    Map<SearchMode, List<Evaluation.Scored>> scored = new LinkedHashMap<>();
    List<Double> millis = new ArrayList<>();
    String target;
    String model;
    try (Searcher searcher = Searcher.open(o, modelGiven)) {
      target = searcher.describeTarget();
      model = searcher.modelId();
      List<SearchMode> modes = all ? modes(searcher) : List.of(SearchMode.of(o.getMode(), searcher.store()));
      modes.forEach(m -> scored.put(m, new ArrayList<>()));
      // one query first, unmeasured: the model's first run and the sink's first answer warm up
      searcher.search(questions.get(0).text, depth, modes.get(0), fusion);
      for (Evaluation.Question q : questions) {
        long started = System.nanoTime();
        if (all) {
          Rankings r = searcher.rankings(q.text, fusion.depth(depth));
          for (SearchMode m : modes) {
            scored.get(m).add(Evaluation.Scored.of(q, Searcher.ranked(m, r, q.text, depth, fusion), o.getK()));
          }
        } else {
          List<SearchHit> hits = searcher.search(q.text, depth, modes.get(0), fusion);
          scored.get(modes.get(0)).add(Evaluation.Scored.of(q, hits, o.getK()));
        }
        millis.add((System.nanoTime() - started) / 1e6);
      }
    }
    String how = fusion.describe(depth);
    if (!all) {
      SearchMode mode = scored.keySet().iterator().next();
      Evaluation.Report report = new Evaluation.Report(scored.get(mode), o.getK(), mode.label())
          .withLatency(millis);
      if (mode == SearchMode.HYBRID || mode == SearchMode.AUTO) {
        report.withFusion(how);
      }
      if (o.getJson()) {
        out.println(Json.write(report.json(target, model)));
      } else {
        report.print(out, target, model);
      }
      return;
    }
    Evaluation.Comparison table = new Evaluation.Comparison(scored, o.getK(), how, millis);
    if (o.getJson()) {
      ObjectNode n = table.json(target, model);
      out.println(Json.write(n));
    } else {
      table.print(out, target, model);
    }
  }

  /** Every mode the sink can answer: dense, lexical where it has a full-text index, hybrid and auto. */
  private static List<SearchMode> modes(Searcher searcher) {
    List<SearchMode> modes = new ArrayList<>(List.of(SearchMode.DENSE));
    if (searcher.store().hasLexical()) {
      modes.add(SearchMode.LEXICAL);
    }
    if (searcher.store().hasHybrid()) {
      modes.add(SearchMode.HYBRID);
      modes.add(SearchMode.AUTO);
    }
    return modes;
  }
}
