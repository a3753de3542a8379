/**
 * Batch tasks: many small tasks of one family claimed together and run as one call.
 *
 * <pre>
 * FitAllSpectra (WrapperTask: what users run)
 *   └─ FitSpectrum ×n   batchable on specId; 500 per runBatch call, one multi-row insert each
 * </pre>
 *
 * <p>Run it with {@code astra run FitAllSpectra --release dr19 --n 10000 --workers 2}.
 */
package astra.examples.batch;
