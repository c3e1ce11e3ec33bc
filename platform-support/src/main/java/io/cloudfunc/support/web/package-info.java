/**
 * The servlet container's own error answers as problem details: {@link io.cloudfunc.support.web.ProblemErrorReportValve},
 * put in place by the auto-configuration {@link io.cloudfunc.support.web.ProblemErrorReportConfiguration}.
 */
package io.cloudfunc.support.web;
