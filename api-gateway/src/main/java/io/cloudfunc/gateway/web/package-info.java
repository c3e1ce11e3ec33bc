/**
 * The gateway's controller advice over platform-support's problem details (RFC 9457), reading request bodies within
 * a limit, and the servlet multipart limits derived from {@code gateway.*}.
 */
package io.cloudfunc.gateway.web;
