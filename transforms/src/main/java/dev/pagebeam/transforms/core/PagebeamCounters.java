package dev.pagebeam.transforms.core;

/** The one namespace of pagebeam's Beam counters, whose names are SUMMARY's keys, in every stage. */
public final class PagebeamCounters {
  public static final String NAMESPACE = "pagebeam";

  private PagebeamCounters() {}
}
