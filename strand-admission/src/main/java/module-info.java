/**
 * Strand's admission control: a {@link dev.strand.admission.Limit} decides how many requests (or
 * any units of work) run at once, holds the next ones in a bounded queue, and rejects the rest at
 * once with an {@link dev.strand.admission.AdmissionException} that says when to retry. Limits are
 * fixed or adaptive, may be split per partition, and follow a {@link dev.strand.admission.QosSwitch}
 * that an operator turns at run time.
 */
module dev.strand.admission {
    requires transitive dev.strand.reactor;
    exports dev.strand.admission;
}
