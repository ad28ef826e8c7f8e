package cn.callbox.hub.announcement;

import java.util.List;

/** Why an announcement or schedule request is refused; nothing was sent or changed. Mapped by AnnouncementProblems. */
class AnnouncementException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    AnnouncementException(String message) {
        super(message);
    }

    /** A body whose fields are missing, out of range or contradictory (400). */
    static final class Invalid extends AnnouncementException {
        private static final long serialVersionUID = 1L;

        Invalid(String message) {
            super(message);
        }
    }

    /** Targets the registry does not know, or targets that reach no box (422). */
    static final class UnknownTargets extends AnnouncementException {
        private static final long serialVersionUID = 1L;
        private final List<String> unknown;

        UnknownTargets(List<String> unknown, String message) {
            super(message);
            this.unknown = List.copyOf(unknown);
        }

        /** e.g. {@code callbox hs-x-01}, {@code unit u9}; empty when the targets are known but reach no box. */
        List<String> unknown() {
            return unknown;
        }
    }

    /** No schedule with that id (404). */
    static final class ScheduleNotFound extends AnnouncementException {
        private static final long serialVersionUID = 1L;

        ScheduleNotFound(String id) {
            super("No announcement schedule '" + id + "'.");
        }
    }

    /** A unit leader asking for what does not reach their unit (403). */
    static final class OtherUnit extends AnnouncementException {
        private static final long serialVersionUID = 1L;

        OtherUnit(String message) {
            super(message);
        }
    }
}
