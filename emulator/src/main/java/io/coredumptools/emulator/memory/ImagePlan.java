package io.coredumptools.emulator.memory;

import java.util.List;

/** What {@link ImagePlanner} decided: the ranges to map and the ranges nothing can back. */
record ImagePlan(List<PlannedRegion> mapped, List<UnbackedRange> unbacked) {}
