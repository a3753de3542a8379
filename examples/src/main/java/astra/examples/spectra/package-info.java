/**
 * An example pipeline to copy from: synthetic stellar spectra, continuum normalization, label
 * estimation into a database table, and a per-field summary.
 *
 * <pre>
 * ProcessField (WrapperTask: what users run)
 *   └─ SummarizeField          field-NNNN/summary.csv, read back from the database
 *        └─ EstimateLabels ×N  a row in example_stellar_labels_v; complete() asks the database,
 *             │               completeEach() for a thousand stars at once (one query per field)
 *             └─ ContinuumNormalize   star-NNNN.normalized.csv
 *                  └─ SyntheticSpectrum  star-NNNN.spectrum.csv
 * </pre>
 *
 * <p>Run it with {@code astra run ProcessField --field 42}; {@code release} comes from utah.cfg.
 * Every task also carries the hidden {@code pipelineVersion} of {@link Pipeline}.
 */
package astra.examples.spectra;
