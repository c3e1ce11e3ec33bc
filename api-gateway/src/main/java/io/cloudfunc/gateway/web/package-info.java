/**
 * The gateway's controller advice over platform-support's problem details (RFC 9457) and what filters answer with
 * problems themselves (oversized headers, a query string that cannot be decoded), reading request bodies within a
 * limit, and the servlet multipart limits derived from {@code gateway.*}.
 */
package io.cloudfunc.gateway.web;
