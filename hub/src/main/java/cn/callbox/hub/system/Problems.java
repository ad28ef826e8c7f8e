package cn.callbox.hub.system;

import java.net.URI;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;

/** RFC 9457 problem details of the REST API: one type namespace for every feature's errors. */
public final class Problems {

    /** Problem types are {@code urn:callbox:problem:<type>}, e.g. {@code urn:callbox:problem:incident-not-found}. */
    public static final String TYPE_PREFIX = "urn:callbox:problem:";

    private Problems() {
    }

    /**
     * @param type short kebab-case name of the problem, stable for clients
     * @param title short English summary of the problem type
     * @param detail this occurrence, for people
     */
    public static ProblemDetail of(HttpStatus status, String type, String title, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(URI.create(TYPE_PREFIX + type));
        problem.setTitle(title);
        return problem;
    }
}
