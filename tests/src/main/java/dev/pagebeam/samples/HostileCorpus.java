package dev.pagebeam.samples;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.zip.Deflater;

/** Writes the hostile PDF corpus: small hand-assembled PDFs that loop, nest, lie or break a PDF reader. */
public final class HostileCorpus {

  /** One hostile file: its file name, what it does to a reader (one sentence), and its bytes. */
  public record Entry(String fileName, String attack, byte[] bytes) {}

  private HostileCorpus() {}

  /** Every hostile file, in a fixed order; the same bytes on every call (deterministic, no clock, fixed seeds). */
  public static List<Entry> all() {
    Corpus c = new Corpus();
    c.add("good-harbour", GOOD, t -> good("Harbour tide gauges drift when their stilling wells silt up."));

    // Cycles between content streams: the resource graph of a page is not a tree, so a reader that
    // follows it without a visited set or a depth limit recurses until the stack runs out.
    c.add("type3-pattern-cycle", "A Type 3 glyph fills with a tiling pattern whose cell shows that same glyph again,"
        + " so rendering recurses glyph -> pattern -> glyph until the stack overflows.",
        t -> onePage(t, res("/T3 6 0 R", ""), "BT /T3 60 Tf 100 500 Td (A) Tj ET\n")
            .obj(6, type3(7, "<< /Pattern << /P1 8 0 R >> >>"))
            .stream(7, "", b("1000 0 d0 /Pattern cs /P1 scn 0 0 1000 1000 re f\n"))
            .stream(8, TILING + " /Resources << /Font << /T3 6 0 R >> >>", b("BT /T3 50 Tf 0 10 Td (A) Tj ET\n"))
            .bytes());
    c.add("type3-glyph-self", "A Type 3 glyph procedure shows its own glyph with its own font.",
        t -> onePage(t, res("/T3 6 0 R", ""), "BT /T3 60 Tf 100 500 Td (A) Tj ET\n")
            .obj(6, type3(7, "<< /Font << /T3 6 0 R >> >>"))
            .stream(7, "", b("1000 0 d0 0 0 500 500 re f BT /T3 1 Tf (A) Tj ET\n")).bytes());
    c.add("form-self-draw", "A form XObject draws itself (/Fm1 Do inside Fm1).",
        t -> onePage(t, res("", "/XObject << /Fm1 6 0 R >>"), "/Fm1 Do\n")
            .stream(6, form("/XObject << /Fm1 6 0 R >>"), b("0 0 1 rg 0 0 50 50 re f 0.9 0 0 0.9 5 5 cm /Fm1 Do\n"))
            .bytes());
    c.add("forms-mutual", "Two form XObjects draw each other.",
        t -> onePage(t, res("", "/XObject << /Fa 6 0 R >>"), "/Fa Do\n")
            .stream(6, form("/XObject << /Fb 7 0 R >>"), b("0 0 50 50 re S /Fb Do\n"))
            .stream(7, form("/XObject << /Fa 6 0 R >>"), b("10 10 30 30 re S /Fa Do\n")).bytes());
    c.add("pattern-self-fill", "A tiling pattern's cell fills a rectangle with that same pattern.",
        t -> onePage(t, res("", "/Pattern << /P1 6 0 R >>"), "/Pattern cs /P1 scn 100 100 300 300 re f\n")
            .stream(6, TILING + " /Resources << /Pattern << /P1 6 0 R >> >>", b("/Pattern cs /P1 scn 0 0 50 50 re f\n"))
            .bytes());
    c.add("extgstate-smask-cycle", "An ExtGState's soft mask is a group form that sets the same ExtGState,"
        + " so computing the mask needs the mask.",
        t -> onePage(t, res("", "/ExtGState << /GS1 6 0 R >>"), "/GS1 gs 0 0 1 rg 100 100 300 300 re f\n")
            .obj(6, "<< /Type /ExtGState /SMask << /Type /Mask /S /Luminosity /G 7 0 R >> >>")
            .stream(7, form("/ExtGState << /GS1 6 0 R >>") + " /Group << /S /Transparency /CS /DeviceRGB >>",
                b("/GS1 gs 1 1 1 rg 0 0 50 50 re f\n")).bytes());
    c.add("annotation-ap-cycle", "An annotation's appearance stream draws a form that draws the appearance again.",
        t -> annotPage(t, "[6 0 R]").obj(6, annot("7 0 R"))
            .stream(7, form("/XObject << /Fm1 8 0 R >>"), b("0 0 1 RG 0 0 50 50 re S /Fm1 Do\n"))
            .stream(8, form("/XObject << /Ap 7 0 R >>"), b("1 0 0 RG 5 5 40 40 re S /Ap Do\n")).bytes());
    c.add("contents-array-self", "The page's /Contents is an array that contains a reference to itself.",
        t -> onePage(t, RES, "").obj(3, pageDict(RES, "6 0 R", "")).obj(6, "[4 0 R 6 0 R]").bytes());

    // Deep nesting without cycles: recursive-descent parsers and graphics-state stacks grow without bound.
    c.add("nested-forms-3000", "3,000 distinct form XObjects, each drawing the next one.", t -> nestedForms(t, 3000));
    c.add("nested-arrays-100k", "A page dictionary entry holds arrays nested 100,000 deep.",
        t -> onePage(t, RES, "").obj(3, pageDict(RES, "4 0 R", "/Hostile " + "[".repeat(100_000)
            + "]".repeat(100_000))).bytes());
    c.add("nested-dicts-50k", "A page dictionary entry holds dictionaries nested 50,000 deep (keys are empty names).",
        t -> onePage(t, RES, "").obj(3, pageDict(RES, "4 0 R", "/Hostile " + "<</".repeat(50_000) + " 0"
            + ">>".repeat(50_000))).bytes());
    c.add("q-200k-unbalanced", "The content stream pushes the graphics state 200,000 times (q) and never pops it.",
        t -> onePage(t, RES, "").flate(4, "", b(textLine(t) + "q\n".repeat(200_000) + "0 0 m 100 100 l S\n"))
            .bytes());
    c.add("good-lighthouse", GOOD,
        t -> good("Lighthouse lenses were floated on mercury so they could turn all night."));

    // Broken and looping cross-reference tables: readers fall back to scanning, or follow the loop.
    c.add("xref-prev-self", "The trailer's /Prev points at its own xref section.",
        t -> onePage(t, RES, "").trailer("/Root 1 0 R /Prev {XREF}").bytes());
    c.add("xref-prev-mutual", "Two xref sections whose /Prev entries point at each other.", HostileCorpus::prevMutual);
    c.add("xref-offsets-past-eof", "Every xref offset points a gigabyte past the end of the file.",
        t -> onePage(t, RES, "").shiftOffsets(1_000_000_000L).bytes());
    c.add("xref-stream-broken", "startxref points at a cross-reference stream whose FlateDecode data is garbage.",
        t -> {
          byte[] body = onePage(t, RES, "").body();
          byte[] junk = noise(11, 64);
          return cat(body, b("6 0 obj\n<< /Type /XRef /Size 7 /W [1 4 2] /Root 1 0 R /Filter /FlateDecode /Length "
              + junk.length + " >>\nstream\n"), junk,
              b("\nendstream\nendobj\nstartxref\n" + body.length + "\n%%EOF\n"));
        });
    // Page trees that are not trees.
    c.add("pages-kids-self", "The root Pages node lists itself among its Kids.",
        t -> onePage(t, RES, "").obj(2, "<< /Type /Pages /Kids [3 0 R 2 0 R] /Count 2 >>").bytes());
    c.add("pages-kids-cycle", "A Kids cycle through two intermediate Pages nodes leads back to the root.",
        t -> onePage(t, RES, "").obj(2, "<< /Type /Pages /Kids [3 0 R 6 0 R] /Count 3 >>")
            .obj(6, "<< /Type /Pages /Parent 2 0 R /Kids [7 0 R] /Count 1 >>")
            .obj(7, "<< /Type /Pages /Parent 6 0 R /Kids [2 0 R] /Count 1 >>").bytes());
    c.add("pages-count-million", "The Pages node claims /Count 1000000 but has one kid.",
        t -> onePage(t, RES, "").obj(2, "<< /Type /Pages /Kids [3 0 R] /Count 1000000 >>").bytes());
    c.add("missing-root", "The trailer has no /Root entry (the catalog object is still in the file).",
        t -> onePage(t, RES, "").obj(6, "<< /Producer (pagebeam) >>").trailer("/Info 6 0 R").bytes());
    c.add("pages-not-dict", "The catalog's /Pages is an integer, not a dictionary.",
        t -> onePage(t, RES, "").obj(1, "<< /Type /Catalog /Pages 6 0 R >>").obj(6, "42").bytes());
    c.add("parent-cycle-inherit", "The page inherits its Resources through a /Parent chain that loops between"
        + " two Pages nodes and never finds them.",
        t -> onePage(t, RES, "").obj(2, "<< /Type /Pages /Kids [3 0 R] /Count 1 /Parent 6 0 R >>")
            .obj(6, "<< /Type /Pages /Kids [2 0 R] /Count 1 /Parent 2 0 R >>")
            .obj(3, "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>").bytes());
    // Object streams whose xref entries put them inside themselves.
    c.add("objstm-self", "An object stream is declared (in the xref stream) to be stored inside itself.",
        t -> objStmPage(t, 6).pack(7, 6, 0).pack(6, 6, 1).bytes());
    c.add("objstm-mutual", "Two object streams are each declared to be stored inside the other.",
        t -> objStmPage(t, 8).pack(7, 6, 0).pack(8, 6, 1).pack(6, 8, 0).stream(8, "/Type /ObjStm /N 1 /First 4",
            b("6 0 << /Type /ObjStm >>")).bytes());
    // Stream lengths that lie.
    c.add("length-self-ref", "A content stream's /Length is an indirect reference to the stream itself.",
        t -> twoStreams(t, "/Length 6 0 R", b("0 0 m 300 300 l S\n")));
    c.add("length-negative", "A content stream declares /Length -5.",
        t -> twoStreams(t, "/Length -5", b("0 0 m 300 300 l S\n")));
    c.add("length-huge", "A content stream declares /Length 999999999.",
        t -> twoStreams(t, "/Length 999999999", b("0 0 m 300 300 l S\n")));

    // Images: declared sizes and codecs that do not match the data.
    c.add("image-huge-dims", "An image XObject declares 100000 x 100000 RGB pixels but carries 10 bytes.",
        t -> imagePage(t, "/Width 100000 /Height 100000 /BitsPerComponent 8 /ColorSpace /DeviceRGB", noise(1, 10))
            .bytes());
    c.add("inline-image-huge", "An inline image (BI/ID/EI) declares 100000 x 100000 RGB pixels with 10 bytes of data.",
        t -> onePage(t, RES, "q 100 0 0 100 100 300 cm BI /W 100000 /H 100000 /BPC 8 /CS /RGB ID 0123456789\nEI Q\n")
            .bytes());
    c.add("jbig2-garbage", "A JBIG2Decode image whose data is random bytes.",
        t -> imagePage(t, "/Width 64 /Height 64 /BitsPerComponent 1 /ColorSpace /DeviceGray /Filter /JBIG2Decode",
            noise(2, 300)).bytes());
    c.add("jpx-garbage", "A JPXDecode image whose data is a JPEG 2000 signature followed by random bytes.",
        t -> imagePage(t, "/Width 64 /Height 64 /BitsPerComponent 8 /ColorSpace /DeviceRGB /Filter /JPXDecode",
            cat(hex("0000000C6A5020200D0A870A"), noise(3, 300))).bytes());
    c.add("dct-truncated", "A DCTDecode image whose JPEG is a few marker bytes then garbage, cut off mid-segment.",
        t -> imagePage(t, "/Width 64 /Height 64 /BitsPerComponent 8 /ColorSpace /DeviceRGB /Filter /DCTDecode",
            cat(hex("FFD8FFE000104A46494600010100000100010000FFDB0043"), noise(4, 40))).bytes());
    c.add("ccitt-garbage", "A CCITTFaxDecode (Group 4) image whose data is random bytes.",
        t -> imagePage(t, "/Width 64 /Height 64 /BitsPerComponent 1 /ColorSpace /DeviceGray /Filter /CCITTFaxDecode"
            + " /DecodeParms << /K -1 /Columns 64 /Rows 64 >>", noise(5, 200)).bytes());
    c.add("indexed-short-lookup", "An Indexed colour space with hival 255 but a 3-byte lookup table,"
        + " indexed by 0..255.",
        t -> {
          byte[] px = new byte[256];
          for (int i = 0; i < 256; i++) {
            px[i] = (byte) i;
          }
          return imagePage(t, "/Width 16 /Height 16 /BitsPerComponent 8 /ColorSpace [/Indexed /DeviceRGB 255 <FF0000>]",
              px).bytes();
        });
    c.add("iccbased-garbage", "An ICCBased colour space whose embedded profile is random bytes.",
        t -> imagePage(t, "/Width 8 /Height 8 /BitsPerComponent 8 /ColorSpace [/ICCBased 7 0 R]", noise(6, 192))
            .stream(7, "/N 3", noise(7, 500)).bytes());
    c.add("separation-broken-function", "A Separation colour space whose PostScript tint transform underflows its"
        + " stack and calls an unknown operator.",
        t -> imagePage(t, "/Width 8 /Height 8 /BitsPerComponent 8 /ColorSpace 7 0 R", noise(8, 64))
            .obj(3, pageDict(res("", "/XObject << /Im1 6 0 R >> /ColorSpace << /CS1 7 0 R >>"), "4 0 R", ""))
            .flate(4, "", b(textLine(t) + "q 200 0 0 200 100 300 cm /Im1 Do Q /CS1 cs 0.5 scn 350 300 100 100 re f\n"))
            .obj(7, "[/Separation /HostileSpot /DeviceCMYK 8 0 R]")
            .stream(8, "/FunctionType 4 /Domain [0 1] /Range [0 1 0 1 0 1 0 1]",
                b("{ pop pop pop roll hostile 1 0 div }"))
            .bytes());
    c.add("image-flate-not-zlib", "A FlateDecode image whose data is not zlib.",
        t -> imagePage(t, "/Width 64 /Height 64 /BitsPerComponent 8 /ColorSpace /DeviceRGB /Filter /FlateDecode",
            noise(9, 400)).bytes());
    c.add("good-salt-marsh", GOOD,
        t -> good("Salt marsh cordgrass traps sediment and raises the marsh a few millimetres a year."));

    // Content streams that do not decode, or decode to far too much.
    c.add("content-flate-not-zlib", "A second content stream under FlateDecode is random bytes, not zlib.",
        t -> twoStreams(t, "/Filter /FlateDecode", noise(10, 600)));
    c.add("flate-bomb-slow", "A ~270 KB FlateDecode content stream inflates to 140 MB of valid path operators"
        + " (10 million strokes): slow to parse and render.",
        t -> onePage(t, RES, "").stream(4, "/Filter /FlateDecode", bomb(textLine(t))).bytes());
    c.add("content-random-bytes", "A second content stream is 4 KB of random bytes.",
        t -> twoStreams(t, "", noise(12, 4096)));
    c.add("unknown-filter", "A second content stream is encoded with an unknown filter (/HostileDecode).",
        t -> twoStreams(t, "/Filter /HostileDecode", b("0 0 m 300 300 l S\n")));

    // Embedded font programs that do not parse.
    c.add("truetype-garbage", "An embedded TrueType font program (FontFile2) is a plausible header followed by"
        + " garbage.",
        t -> fontPage(t, simpleFont("TrueType")).obj(7, descriptor("/FontFile2 8 0 R"))
            .stream(8, "/Length1 5000", cat(hex("00010000 7FFF 0080 0003 0070"), noise(13, 600))).bytes());
    c.add("type1-garbage", "An embedded Type 1 font program (FontFile) is a PostScript header followed by garbage.",
        t -> fontPage(t, simpleFont("Type1")).obj(7, descriptor("/FontFile 8 0 R"))
            .stream(8, "/Length1 40 /Length2 99999 /Length3 0",
                cat(b("%!PS-AdobeFont-1.0: Hostile 001\n"), noise(14, 600))).bytes());
    c.add("cff-garbage", "An embedded CFF font program (FontFile3 /Type1C) is a CFF header followed by garbage.",
        t -> fontPage(t, simpleFont("Type1")).obj(7, descriptor("/FontFile3 8 0 R"))
            .stream(8, "/Subtype /Type1C", cat(hex("01000404"), noise(15, 600))).bytes());
    c.add("type0-broken-cmap", "A Type0 font with a 3-byte CIDToGIDMap and an embedded CMap of malformed ranges.",
        t -> fontPage(t, "<< /Type /Font /Subtype /Type0 /BaseFont /HostileCID /Encoding 9 0 R"
            + " /DescendantFonts [7 0 R] >>", "<00410042FFFF> Tj")
            .obj(7, "<< /Type /Font /Subtype /CIDFontType2 /BaseFont /HostileCID /CIDSystemInfo << /Registry (Adobe)"
                + " /Ordering (Identity) /Supplement 0 >> /FontDescriptor 8 0 R /CIDToGIDMap 10 0 R /DW 500"
                + " /W [0 [500 -1] 65 66] >>")
            .obj(8, descriptor(""))
            .stream(9, "/Type /CMap /CMapName /Hostile", b(BAD_CMAP))
            .stream(10, "", hex("010203")).bytes());
    c.add("tounicode-garbage", "A font's ToUnicode CMap is malformed ranges, lone surrogates and random bytes.",
        t -> fontPage(t, "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /ToUnicode 7 0 R >>")
            .stream(7, "", cat(b(BAD_CMAP), noise(16, 300))).bytes());
    c.add("differences-bogus", "A simple font's /Differences array holds bogus glyph names, numbers, strings and"
        + " containers.",
        t -> fontPage(t, "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding << /Type /Encoding"
            + " /BaseEncoding /HostileEncoding /Differences [65 /NoSuchGlyph /uniZZZZ /uniD800 /u110000 /g#00x"
            + " (string) 3.14 -7 2147483648 [/nested] << /K /V >> true null 66 /A /B /C 999999 /D] >> >>").bytes());

    // Text with invalid encodings.
    c.add("identity-h-no-descendant", "Tj strings with lone UTF-16 surrogates, odd byte counts and invalid bytes,"
        + " shown with a Type0 Identity-H font that has no descendant font.",
        t -> fontPage(t, "<< /Type /Font /Subtype /Type0 /BaseFont /Orphan /Encoding /Identity-H >>",
            "<D800> Tj <DC000041> Tj <FFFEFEFF> Tj <00> Tj (\\377\\376\\000\\333) Tj").bytes());
    c.add("zero-point-font", "A text line set in a 0-point font.",
        t -> onePage(t, RES, "BT /F1 0 Tf 72 600 Td (zero point words) Tj ET\n").bytes());
    c.add("tj-10000-one-line", "10,000 Tj operators of one character each on a single line.",
        t -> {
          StringBuilder s = new StringBuilder("BT /F1 6 Tf 20 600 Td ");
          for (int i = 0; i < 10_000; i++) {
            s.append('(').append((char) ('a' + i % 26)).append(") Tj ");
          }
          return onePage(t, RES, s.append("ET\n").toString()).bytes();
        });

    // Annotations.
    c.add("ap-n-not-stream", "An annotation's appearance /AP /N is an integer, not a stream.",
        t -> annotPage(t, "[6 0 R]").obj(6, annot("7 0 R")).obj(7, "42").bytes());
    c.add("ap-garbage-ops", "An annotation's appearance stream is garbage operators and operands.",
        t -> annotPage(t, "[6 0 R]").obj(6, annot("7 0 R"))
            .stream(7, form(""), b("1 2 3 4 5 6 7 8 9 Q Q Q cm Tj TJ ' \" ] >> << EI re re f* BT BT /x Do gs sh W n\n"))
            .bytes());
    c.add("annots-self", "The page's /Annots array contains a reference to itself.",
        t -> annotPage(t, "6 0 R").obj(6, "[7 0 R 6 0 R]").obj(7, annot("8 0 R"))
            .stream(8, form(""), b("1 0 0 RG 0 0 50 50 re S\n")).bytes());

    // Classics: not a PDF at all, cut short, or locked.
    c.add("empty", "An empty file (0 bytes).", t -> new byte[0]);
    c.add("header-only", "A file that is only the header line %PDF-1.7.", t -> b("%PDF-1.7\n"));
    c.add("html-named-pdf", "An HTML page saved with a .pdf name.", t -> b("<!DOCTYPE html>\n<html><head>"
        + "<title>Not a PDF</title></head><body><p>This is an HTML error page, not a PDF.</p></body></html>\n"));
    c.add("truncated-mid-stream", "The file ends in the middle of the page's content stream (object 9, the last):"
        + " no endstream, xref or trailer.",
        t -> {
          Pdf p = onePage(t, RES, "").obj(3, pageDict(RES, "9 0 R", ""))
              .stream(9, "", b(textLine(t) + "0 0 m 300 300 l S\n".repeat(200)));
          byte[] body = p.body();
          return Arrays.copyOf(body, (int) (p.offsets.get(9) + body.length) / 2);
        });
    c.add("encrypted-user-password", "RC4-encrypted (Standard security handler, R2) with user password \"hostile\":"
        + " unreadable without it.", HostileCorpus::encrypted);
    c.add("encrypt-unknown-filter", "The /Encrypt dictionary names an unknown security handler (/HostileSecurity).",
        t -> onePage(t, RES, "").trailer("/Root 1 0 R /Encrypt 6 0 R /ID [<" + ID + "> <" + ID + ">]")
            .obj(6, "<< /Filter /HostileSecurity /V 1 /R 2 /O <" + "00".repeat(32) + "> /U <" + "00".repeat(32)
                + "> /P -4 >>").bytes());
    return List.copyOf(c.entries);
  }

  /** Writes all() into dir (created if needed); returns the paths written. */
  public static List<Path> write(Path dir) throws IOException {
    return write(dir, all());
  }

  private static List<Path> write(Path dir, List<Entry> entries) throws IOException {
    Files.createDirectories(dir);
    List<Path> paths = new ArrayList<>();
    for (Entry e : entries) {
      paths.add(Files.write(dir.resolve(e.fileName()), e.bytes()));
    }
    return paths;
  }

  /** main(args): writes into args[0] and prints one line per file: name, size, attack. */
  public static void main(String[] args) throws IOException {
    List<Entry> entries = all(); // built once: the flate bomb takes a couple of seconds to compress
    write(Path.of(args.length > 0 ? args[0] : "hostile"), entries);
    for (Entry e : entries) {
      System.out.printf("%-34s %8d  %s%n", e.fileName(), e.bytes().length, e.attack());
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Page layouts shared by the cases. Objects 1-5 are always catalog, Pages, page, content, Helvetica;
  // a case's own objects start at 6.

  private static final String GOOD = "Nothing: a valid one-page PDF with one line of Helvetica text.";
  private static final String HELVETICA =
      "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>";
  private static final String RES = res("", "");
  private static final String TILING = "/Type /Pattern /PatternType 1 /PaintType 1 /TilingType 1 /BBox [0 0 100 100]"
      + " /XStep 100 /YStep 100";
  private static final String ID = "5041474542454D20484F5354494C4521";
  /** A CMap whose ranges are malformed: a huge codespace, an overflowing CID, a bad hex token, a lone surrogate. */
  private static final String BAD_CMAP = "/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n"
      + "/CMapName /Hostile def\n1 begincodespacerange <00> <FFFFFFFFFF> endcodespacerange\n"
      + "2 begincidrange <0000> <FFFF> 4294967295 <FFFF> <0000> -1 endcidrange\n"
      + "99999 beginbfchar <41> <D800> <42> [<0041> ] <zz> <> endbfchar\n"
      + "1 beginbfrange <00> <FF> <FFFF> endbfrange\n"
      + "endcmap CMapName currentdict /CMap defineresource pop end end\n";

  private static String res(String fonts, String rest) {
    return "<< /Font << /F1 5 0 R " + fonts + " >> " + rest + " >>";
  }

  private static String pageDict(String resources, String contents, String extra) {
    return "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources " + resources + " /Contents " + contents
        + " " + extra + " >>";
  }

  /** A one-page document: the page shows text in Helvetica, then runs the attack's content operators. */
  private static Pdf onePage(String text, String resources, String content) {
    return new Pdf()
        .obj(1, "<< /Type /Catalog /Pages 2 0 R >>")
        .obj(2, "<< /Type /Pages /Kids [3 0 R] /Count 1 >>")
        .obj(3, pageDict(resources, "4 0 R", ""))
        .stream(4, "", b(textLine(text) + content))
        .obj(5, HELVETICA);
  }

  private static byte[] good(String sentence) {
    return onePage(sentence, RES, "").bytes();
  }

  /** Text operators for a sentence, wrapped at ~90 characters a line from the top of the page. */
  private static String textLine(String text) {
    StringBuilder s = new StringBuilder("BT /F1 11 Tf 14 TL 40 750 Td (");
    int col = 0;
    for (String word : text.split(" ")) {
      if (col > 0 && col + word.length() > 90) {
        s.append(") Tj T* (");
        col = 0;
      }
      s.append(col > 0 ? " " : "").append(word.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)"));
      col += word.length() + 1;
    }
    return s.append(") Tj ET\n").toString();
  }

  private static String form(String resources) {
    return "/Type /XObject /Subtype /Form /BBox [0 0 100 100] /Resources << " + resources + " >>";
  }

  private static String type3(int charProc, String resources) {
    return "<< /Type /Font /Subtype /Type3 /FontBBox [0 0 1000 1000] /FontMatrix [0.001 0 0 0.001 0 0]"
        + " /CharProcs << /g " + charProc + " 0 R >> /Encoding << /Type /Encoding /Differences [65 /g] >>"
        + " /FirstChar 65 /LastChar 65 /Widths [1000] /Resources " + resources + " >>";
  }

  /** The page draws image XObject 6 (Im1) after its text line. */
  private static Pdf imagePage(String text, String imageDict, byte[] data) {
    return onePage(text, res("", "/XObject << /Im1 6 0 R >>"), "q 200 0 0 200 100 300 cm /Im1 Do Q\n")
        .stream(6, "/Type /XObject /Subtype /Image " + imageDict, data);
  }

  /** The page shows "ABC" in font F2 (object 6); the case adds the font's other objects from 7 on. */
  private static Pdf fontPage(String text, String font) {
    return fontPage(text, font, "(ABC) Tj");
  }

  private static Pdf fontPage(String text, String font, String show) {
    return onePage(text, res("/F2 6 0 R", ""), "BT /F2 24 Tf 72 600 Td " + show + " ET\n").obj(6, font);
  }

  private static String simpleFont(String subtype) {
    return "<< /Type /Font /Subtype /" + subtype + " /BaseFont /Hostile /FirstChar 65 /LastChar 67"
        + " /Widths [600 600 600] /Encoding /WinAnsiEncoding /FontDescriptor 7 0 R >>";
  }

  private static String descriptor(String fontFile) {
    return "<< /Type /FontDescriptor /FontName /Hostile /Flags 32 /FontBBox [0 0 1000 1000] /ItalicAngle 0"
        + " /Ascent 800 /Descent -200 /CapHeight 700 /StemV 80 " + fontFile + " >>";
  }

  /** The page's /Contents is [4 0 R 6 0 R]: the readable text first, then the hostile stream 6. */
  private static byte[] twoStreams(String text, String dict, byte[] data) {
    return onePage(text, RES, "").obj(3, pageDict(RES, "[4 0 R 6 0 R]", "")).stream(6, dict, data).bytes();
  }

  private static Pdf annotPage(String text, String annots) {
    return onePage(text, RES, "").obj(3, pageDict(RES, "4 0 R", "/Annots " + annots));
  }

  private static String annot(String normalAppearance) {
    return "<< /Type /Annot /Subtype /Square /Rect [100 300 300 500] /F 4 /AP << /N " + normalAppearance + " >> >>";
  }

  /**
   * Form n draws form n+1 by the name n in base 36. To fit 3,000 forms in under 300 KB the forms share one BBox (6),
   * carry no Resources of their own (so names resolve in the page's, as PDF 1.1 allowed), the page's 3,000-name
   * XObject dictionary (7) sits in compressed object stream 8, and the xref is a compressed stream.
   */
  private static byte[] nestedForms(String text, int depth) {
    int first = 9;
    StringBuilder names = new StringBuilder("<<");
    for (int n = first; n < first + depth; n++) {
      names.append(" /").append(Integer.toString(n, 36)).append(' ').append(n).append(" 0 R");
    }
    Pdf p = onePage(text, res("", "/XObject 7 0 R"), "/" + Integer.toString(first, 36) + " Do\n")
        .obj(6, "[0 0 612 792]").flate(8, "/Type /ObjStm /N 1 /First 4", b("7 0 " + names + " >>")).pack(7, 8, 0)
        .xrefStream();
    for (int n = first; n < first + depth; n++) {
      boolean last = n == first + depth - 1;
      String content = last ? "0 0 1 rg 100 100 50 50 re f" : "/" + Integer.toString(n + 1, 36) + " Do";
      p.stream(n, "/Subtype/Form/BBox 6 0 R", b(content));
    }
    return p.bytes();
  }

  /** The page sets /GS1 (object 7) after its text; an xref stream puts 7 in object stream 6, beside `second`. */
  private static Pdf objStmPage(String text, int second) {
    String gs = "<< /Type /ExtGState /LW 3 >> ";
    String head = "7 0 " + second + " " + gs.length() + " ";
    return onePage(text, res("", "/ExtGState << /GS1 7 0 R >>"), "/GS1 gs 0 0 m 300 300 l S\n")
        .stream(6, "/Type /ObjStm /N 2 /First " + head.length(), b(head + gs + "<< /Type /ObjStm >>")).xrefStream();
  }

  private static byte[] prevMutual(String text) {
    Pdf p = onePage(text, RES, "");
    byte[] body = p.body();
    long a = body.length;
    String first = p.xrefTable(0, 6) + "trailer\n<< /Size 6 /Root 1 0 R /Prev %010d >>\n";
    long second = a + String.format(first, 0L).length();
    return cat(body, b(String.format(first, second)), b("xref\n0 1\n" + p.row(0) + "3 1\n" + p.row(3)
        + "trailer\n<< /Size 6 /Root 1 0 R /Prev " + String.format("%010d", a) + " >>\nstartxref\n" + second
        + "\n%%EOF\n"));
  }

  /** RC4-encrypted one-page document, Standard security handler revision 2 (40-bit key), user password "hostile". */
  private static byte[] encrypted(String text) {
    byte[] ownerKey = Arrays.copyOf(md5(pad("hostile-owner")), 5);
    byte[] o = rc4(ownerKey, pad("hostile"));
    int perms = -4;
    byte[] p32 = {(byte) perms, (byte) (perms >> 8), (byte) (perms >> 16), (byte) (perms >> 24)};
    byte[] key = Arrays.copyOf(md5(pad("hostile"), o, p32, hex(ID)), 5);
    Pdf p = onePage(text, RES, "").trailer("/Root 1 0 R /Encrypt 6 0 R /ID [<" + ID + "> <" + ID + ">]");
    p.key = key; // the content stream is the only stream (and there are no strings): add it again, encrypted
    return p.stream(4, "", b(textLine(text))).obj(6, "<< /Filter /Standard /V 1 /R 2 /Length 40 /P " + perms
        + " /O <" + toHex(o) + "> /U <" + toHex(rc4(key, PAD)) + "> >>").bytes();
  }

  // ---------------------------------------------------------------------------------------------
  // Assembly.

  /** Numbers the cases NN- in the order they are added, and passes each its attack sentence to print on its page. */
  private static final class Corpus {
    final List<Entry> entries = new ArrayList<>();

    void add(String name, String attack, Function<String, byte[]> make) {
      entries.add(new Entry(String.format("%02d-%s.pdf", entries.size() + 1, name), attack, make.apply(attack)));
    }
  }

  /**
   * A PDF under assembly: numbered objects written in number order, then an xref table (or stream) computed from
   * their real offsets, unless a field says how to break it.
   */
  private static final class Pdf {
    final TreeMap<Integer, byte[]> objects = new TreeMap<>();
    final Map<Integer, Long> offsets = new HashMap<>();
    /** Object number -> {object stream, index}: written as type-2 entries of the xref stream. */
    final Map<Integer, int[]> packed = new HashMap<>();
    /** Trailer entries; {XREF} is replaced by this file's own xref offset. */
    String trailer = "/Root 1 0 R";
    boolean xrefStream;
    /** Added to every xref offset, to point them past the end of the file. */
    long offsetShift;
    /** When set, the RC4 file key that every stream added afterwards is encrypted with. */
    byte[] key;

    Pdf obj(int n, String body) {
      objects.put(n, b(body));
      return this;
    }

    /** A stream; /Length is added unless the dict already has one (a lying one). */
    Pdf stream(int n, String dict, byte[] data) {
      if (key != null) {
        data = rc4(Arrays.copyOf(md5(key, new byte[] {(byte) n, (byte) (n >> 8), (byte) (n >> 16), 0, 0}), 10), data);
      }
      String d = dict.contains("/Length ") ? dict : dict + " /Length " + data.length;
      objects.put(n, cat(b("<< " + d + " >>\nstream\n"), data, b("\nendstream")));
      return this;
    }

    Pdf trailer(String entries) {
      trailer = entries;
      return this;
    }

    Pdf shiftOffsets(long shift) {
      offsetShift = shift;
      return this;
    }

    Pdf xrefStream() {
      xrefStream = true;
      return this;
    }

    Pdf flate(int n, String dict, byte[] data) {
      return stream(n, dict + " /Filter /FlateDecode", deflate(data));
    }

    Pdf pack(int n, int objectStream, int index) {
      packed.put(n, new int[] {objectStream, index});
      return this;
    }

    int size() {
      int max = objects.isEmpty() ? 0 : objects.lastKey();
      for (int n : packed.keySet()) {
        max = Math.max(max, n);
      }
      return max + 1;
    }

    /** Header and objects; fills offsets. */
    byte[] body() {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      out.writeBytes(b("%PDF-1.7\n%\u00e2\u00e3\u00cf\u00d3\n"));
      objects.forEach((n, body) -> {
        offsets.put(n, (long) out.size());
        out.writeBytes(cat(b(n + " 0 obj\n"), body, b("\nendobj\n")));
      });
      return out.toByteArray();
    }

    String row(int n) {
      Long off = offsets.get(n);
      return off == null ? "0000000000 65535 f \n" : String.format("%010d 00000 n \n", off + offsetShift);
    }

    String xrefTable(int from, int count) {
      StringBuilder s = new StringBuilder("xref\n" + from + " " + count + "\n");
      for (int n = from; n < from + count; n++) {
        s.append(row(n));
      }
      return s.toString();
    }

    byte[] bytes() {
      byte[] body = body();
      long xref = body.length;
      String tr = trailer.replace("{XREF}", Long.toString(xref));
      if (!xrefStream) {
        return cat(body, b(xrefTable(0, size()) + "trailer\n<< /Size " + size() + " " + tr + " >>\nstartxref\n" + xref
            + "\n%%EOF\n"));
      }
      int self = size();
      offsets.put(self, xref);
      ByteArrayOutputStream rows = new ByteArrayOutputStream();
      for (int n = 0; n <= self; n++) {
        int[] in = packed.get(n);
        Long off = offsets.get(n);
        long[] row = in != null ? new long[] {2, in[0], in[1]} : off != null ? new long[] {1, off + offsetShift, 0}
            : new long[] {0, 0, n == 0 ? 0xFFFF : 0};
        rows.writeBytes(new byte[] {(byte) row[0], (byte) (row[1] >> 24), (byte) (row[1] >> 16), (byte) (row[1] >> 8),
            (byte) row[1], (byte) (row[2] >> 8), (byte) row[2]});
      }
      byte[] data = deflate(rows.toByteArray());
      return cat(body, b(self + " 0 obj\n<< /Type /XRef /Size " + (self + 1) + " /W [1 4 2] " + tr
          + " /Filter /FlateDecode /Length " + data.length + " >>\nstream\n"), data,
          b("\nendstream\nendobj\nstartxref\n" + xref + "\n%%EOF\n"));
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Bytes.

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  private static byte[] cat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  private static byte[] hex(String s) {
    String h = s.replace(" ", "");
    byte[] out = new byte[h.length() / 2];
    for (int i = 0; i < out.length; i++) {
      out[i] = (byte) Integer.parseInt(h.substring(2 * i, 2 * i + 2), 16);
    }
    return out;
  }

  private static String toHex(byte[] bytes) {
    StringBuilder s = new StringBuilder();
    for (byte x : bytes) {
      s.append(String.format("%02X", x));
    }
    return s.toString();
  }

  /** Deterministic random bytes: the seed is fixed per case. */
  private static byte[] noise(long seed, int n) {
    byte[] out = new byte[n];
    new Random(seed).nextBytes(out);
    return out;
  }

  private static byte[] deflate(byte[] data) {
    Deflater z = new Deflater(Deflater.BEST_COMPRESSION);
    z.setInput(data);
    z.finish();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buf = new byte[1 << 16];
    while (!z.finished()) {
      out.write(buf, 0, z.deflate(buf));
    }
    z.end();
    return out.toByteArray();
  }

  /**
   * zlib of head + 140 MB of "0 0 m 1 1 l S\n" (10 million strokes), fed in 1.4 MB chunks so the plain text is never
   * held whole. A 14-byte period costs deflate 4 bits per 258-byte match (about 514:1), so 140 MB is what fits in
   * under 300 KB.
   */
  private static byte[] bomb(String head) {
    Deflater z = new Deflater(Deflater.BEST_COMPRESSION);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buf = new byte[1 << 16];
    byte[] chunk = b("0 0 m 1 1 l S\n".repeat(100_000));
    for (int i = -1; i < 100; i++) {
      z.setInput(i < 0 ? b(head) : chunk);
      while (!z.needsInput()) {
        out.write(buf, 0, z.deflate(buf));
      }
    }
    z.finish();
    while (!z.finished()) {
      out.write(buf, 0, z.deflate(buf));
    }
    z.end();
    return out.toByteArray();
  }

  // Standard security handler, revision 2: MD5 and RC4 as in ISO 32000-1, 7.6.3.
  private static final byte[] PAD = hex("28BF4E5E4E758A4164004E56FFFA01082E2E00B6D0683E802F0CA9FE6453697A");

  private static byte[] pad(String password) {
    return Arrays.copyOf(cat(b(password), PAD), 32);
  }

  private static byte[] md5(byte[]... parts) {
    try {
      return MessageDigest.getInstance("MD5").digest(cat(parts));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] rc4(byte[] key, byte[] data) {
    int[] s = new int[256];
    for (int i = 0; i < 256; i++) {
      s[i] = i;
    }
    for (int i = 0, j = 0; i < 256; i++) {
      j = (j + s[i] + (key[i % key.length] & 0xFF)) & 0xFF;
      int t = s[i]; s[i] = s[j]; s[j] = t;
    }
    byte[] out = new byte[data.length];
    for (int k = 0, i = 0, j = 0; k < data.length; k++) {
      i = (i + 1) & 0xFF;
      j = (j + s[i]) & 0xFF;
      int t = s[i]; s[i] = s[j]; s[j] = t;
      out[k] = (byte) (data[k] ^ s[(s[i] + s[j]) & 0xFF]);
    }
    return out;
  }
}
