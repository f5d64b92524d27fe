/**
 * Strand's test kit; see the module's description and {@code docs/testing.md}.
 */
package dev.strand.testkit;
