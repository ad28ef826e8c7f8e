package cn.callbox.hub.announcement;

import java.net.URI;
import java.util.List;

import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import cn.callbox.hub.system.Caller;

/**
 * REST of announcements and their schedules. Broadcasting and changing schedules: admin and dispatcher (security
 * configuration). Reading: any hub role; a unit leader sees only the broadcasts and schedules that reach a box of
 * their unit. Errors are problem details ({@link AnnouncementProblems}); a refused request sends and changes nothing.
 */
@RestController
@RequestMapping("/api")
class AnnouncementController {

    private final AnnouncementService announcements;
    private final ScheduleService schedules;

    AnnouncementController(AnnouncementService announcements, ScheduleService schedules) {
        this.announcements = announcements;
        this.schedules = schedules;
    }

    /** @param repeat 1-10, default 1 */
    record AnnouncementRequest(String text, String clip, List<String> callboxes, List<String> villages,
            List<String> units, Integer repeat) {
    }

    /** @param time HH:mm township time; @param enabled default true */
    record ScheduleRequest(String name, String text, String clip, List<String> callboxes, List<String> villages,
            List<String> units, Integer repeat, List<Integer> daysOfWeek, List<Integer> daysOfMonth, String time,
            Boolean enabled) {

        ScheduleService.Definition definition() {
            return new ScheduleService.Definition(name, text, clip, repeat, new Targets(callboxes, villages, units),
                    daysOfWeek, daysOfMonth, time, enabled);
        }
    }

    @PostMapping("/announcements")
    Announcement.View announce(@RequestBody AnnouncementRequest body, Authentication authentication) {
        Caller caller = Caller.of(authentication);
        if (body == null) {
            throw new AnnouncementException.Invalid("The body must be an announcement.");
        }
        AnnouncementService.Message message = AnnouncementService.Message.of(body.text(), body.clip(), body.repeat());
        Targets targets = new Targets(body.callboxes(), body.villages(), body.units());
        return Announcement.View.of(announcements.announce(message, targets, caller.username()));
    }

    @GetMapping("/announcements")
    List<Announcement.View> list(Authentication authentication) {
        return announcements.latest(Caller.of(authentication)).stream().map(Announcement.View::of).toList();
    }

    /** The clip names a broadcast may play. */
    @GetMapping("/announcements/clips")
    List<String> clips() {
        return AnnouncementClips.NAMES;
    }

    @GetMapping("/announcement-schedules")
    List<ScheduleService.View> schedules(Authentication authentication) {
        return schedules.all(Caller.of(authentication)).stream().map(schedules::view).toList();
    }

    @GetMapping("/announcement-schedules/{id}")
    ScheduleService.View schedule(@PathVariable String id, Authentication authentication) {
        return schedules.view(schedules.get(id, Caller.of(authentication)));
    }

    @PostMapping("/announcement-schedules")
    ResponseEntity<ScheduleService.View> create(@RequestBody ScheduleRequest body, Authentication authentication) {
        Schedule created = schedules.create(body == null ? null : body.definition(),
                Caller.of(authentication).username());
        return ResponseEntity.created(URI.create("/api/announcement-schedules/" + created.id()))
                .body(schedules.view(created));
    }

    @PutMapping("/announcement-schedules/{id}")
    ScheduleService.View update(@PathVariable String id, @RequestBody ScheduleRequest body,
            Authentication authentication) {
        return schedules.view(schedules.update(id, body == null ? null : body.definition(),
                Caller.of(authentication).username()));
    }

    @DeleteMapping("/announcement-schedules/{id}")
    ResponseEntity<Void> delete(@PathVariable String id, Authentication authentication) {
        schedules.delete(id, Caller.of(authentication).username());
        return ResponseEntity.noContent().build();
    }
}
