package astra.examples.batch;

import astra.core.Param;
import astra.core.WrapperTask;
import java.util.List;
import java.util.stream.LongStream;

/** Fits spectra 1 to {@code n} of a release: {@code astra run FitAllSpectra --n 10000 --workers 2}. */
public record FitAllSpectra(
        @Param(description = "Data release", defaultValue = "dr19") String release,
        @Param(description = "How many spectra", defaultValue = "10000") int n) implements WrapperTask {

    @Override
    public List<FitSpectrum> requires() {
        return LongStream.rangeClosed(1, n).mapToObj(id -> new FitSpectrum(release, id)).toList();
    }
}
