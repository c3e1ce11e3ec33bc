/**
 * The scheduler's controller advice over platform-support's problem details (RFC 9457), and the exception that
 * carries a problem another service answered.
 */
package io.cloudfunc.scheduler.web;
