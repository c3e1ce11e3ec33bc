/**
 * Problem details (RFC 9457): the exceptions that carry them, the advice that renders every error as one, and the
 * {@code /error} fallback for errors raised outside Spring MVC.
 */
package io.cloudfunc.scheduler.web;
