/**
 * Problem details (RFC 9457) for every error the gateway answers, the {@code /error} fallback for errors raised
 * outside Spring MVC, and the servlet multipart limits derived from {@code gateway.*}.
 */
package io.cloudfunc.gateway.web;
