package astra.examples.batch;

import astra.core.BatchContext;
import astra.core.BatchTask;
import astra.core.Param;
import java.util.ArrayList;
import java.util.List;

/**
 * Measures the radial velocity and S/N of one synthetic spectrum and stores them in
 * {@code example_spectrum_fits}. Shows a {@link BatchTask}: spectra of one release that differ
 * only in {@code specId} are claimed 500 at a time and fitted in one {@link #runBatch} call,
 * which writes every row with one multi-row insert; each spectrum is still a task of its own,
 * done or failed on its own. A spectrum whose fit is not finite fails alone.
 */
public record FitSpectrum(
        @Param(description = "Data release") String release,
        @Param(description = "Spectrum id", batch = true) long specId) implements BatchTask<FitSpectrum> {

    @Override
    public int batchSize() {
        return 500;
    }

    @Override
    public void runBatch(List<FitSpectrum> batch, BatchContext<FitSpectrum> ctx) {
        ctx.setStatus("fitting " + batch.size() + " spectra of " + release);
        List<FitsTable.Fit> fits = new ArrayList<>(batch.size());
        for (FitSpectrum spectrum : batch) {
            LineFit.Result result = LineFit.fit(LineFit.synthetic(spectrum.specId()));
            if (Double.isFinite(result.velocity()) && Double.isFinite(result.snr())) {
                fits.add(new FitsTable.Fit(spectrum.release(), spectrum.specId(), result.velocity(), result.snr(),
                        ctx.taskId(spectrum)));
            } else {
                ctx.fail(spectrum, "spectrum " + spectrum.specId() + " has no measurable line");
            }
        }
        FitsTable.create(ctx.db());
        FitsTable.upsert(ctx.db(), fits);
    }
}
