package cn.callbox.hub.registry;

import java.time.Clock;
import java.time.LocalDate;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

import cn.callbox.hub.device.CallBoxPresence;
import cn.callbox.hub.device.CallBoxPresence.Presence;
import cn.callbox.hub.device.LockerReadiness;
import cn.callbox.hub.readiness.ReadinessService;
import cn.callbox.hub.readiness.ReadinessService.UnitReadiness;
import cn.callbox.hub.registry.TownshipDirectory.DutyDay;
import cn.callbox.hub.registry.TownshipDirectory.UnitInfo;
import cn.callbox.hub.system.Caller;

/**
 * Read-only REST API of the registry (ARCHITECTURE.md, REST): call boxes with their live presence, units with their
 * members, today's duty and readiness. "Today" is the date of the hub's {@link Clock}. Unknown ids give 404 problem
 * details. A unit leader sees only their own unit and its boxes: the lists are filtered, another unit is 403
 * {@code forbidden-unit}.
 */
@RestController
@RequestMapping("/api")
class RegistryApiController {

    private static final Logger LOG = LoggerFactory.getLogger(RegistryApiController.class);

    private final TownshipDirectory directory;
    private final CallBoxPresence presence;
    private final ReadinessService readiness;
    private final Clock clock;
    private final ObjectProvider<LockerReadiness> lockers;

    /** @param lockers the readiness feature's answer to "is the box's kit there"; absent: not judged */
    RegistryApiController(TownshipDirectory directory, CallBoxPresence presence, ReadinessService readiness,
            Clock clock, ObjectProvider<LockerReadiness> lockers) {
        this.directory = directory;
        this.presence = presence;
        this.readiness = readiness;
        this.clock = clock;
        this.lockers = lockers;
    }

    /**
     * @param lastSeen ISO-8601 UTC; null when the box was never seen since the hub started
     * @param unit the unit responsible for the box's point
     * @param lockerReady the unit has the kit the standard asks for; null when not judged (yet)
     * @param tamper the box reports its enclosure open
     * @param onMains false while the box runs on its battery; null when it has not reported its power sources
     */
    record CallBoxView(String endpoint, String village, String place, double lat, double lon, boolean online,
            String lastSeen, boolean sirenSounding, String unit, Boolean lockerReady, boolean tamper,
            Boolean onMains) {
    }

    record UnitSummary(String id, String name, String village, String villageId, double lat, double lon,
            List<String> callboxes) {
    }

    record MemberView(String id, String name, String role, boolean resident) {
    }

    /**
     * @param day ISO-8601 date
     * @param leader null when no leader is planned
     */
    record DutyView(String day, String leader, List<String> onDuty) {
    }

    record ItemView(String kind, int required, int present) {
    }

    /**
     * @param state {@code ready}, {@code kit-missing}, {@code understaffed} or {@code box-offline}
     * @param ready state is {@code ready}
     */
    record ReadinessView(String state, boolean ready, int onDuty, String leader, List<ItemView> items,
            List<String> problems) {
    }

    /** @param readiness null when it cannot be judged right now (logged) */
    record UnitView(String id, String name, String village, String villageId, double lat, double lon,
            List<String> callboxes, List<MemberView> members, DutyView duty, ReadinessView readiness) {
    }

    @GetMapping("/callboxes")
    List<CallBoxView> callBoxes(Authentication authentication) {
        Caller caller = Caller.of(authentication);
        LockerReadiness locker = lockers.getIfUnique(() -> LockerReadiness.UNKNOWN);
        return directory.callBoxes().stream().filter(box -> caller.maySee(box.unitId())).map(box -> {
            Presence p = presence.presenceOf(box.endpoint());
            return new CallBoxView(box.endpoint(), box.villageName(), box.place(), box.lat(), box.lon(), p.online(),
                    p.lastSeen() == null ? null : p.lastSeen().toString(), p.sirenSounding(), box.unitId(),
                    lockerReady(locker, box.endpoint()), p.tampered(), p.onMains());
        }).toList();
    }

    @GetMapping("/units")
    List<UnitSummary> units(Authentication authentication) {
        Caller caller = Caller.of(authentication);
        return directory.units().stream().filter(u -> caller.maySee(u.id())).map(RegistryApiController::summary)
                .toList();
    }

    @GetMapping("/units/{id}")
    UnitView unit(@PathVariable String id, Authentication authentication) {
        ForbiddenUnitException.check(Caller.of(authentication), id);
        UnitInfo unit = directory.unit(id)
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "No unit '" + id + "'."));
        List<MemberView> members = directory.members(id).stream()
                .map(m -> new MemberView(m.id(), m.name(), m.role(), m.resident())).toList();
        DutyDay duty = directory.duty(id, LocalDate.now(clock.withZone(DutyRosterService.TOWNSHIP_ZONE)));
        return new UnitView(unit.id(), unit.name(), unit.villageName(), unit.villageId(), unit.lat(), unit.lon(),
                unit.callBoxes(), members, new DutyView(duty.day().toString(), duty.leaderId(), duty.onDuty()),
                readinessOf(id));
    }

    private static Boolean lockerReady(LockerReadiness locker, String endpoint) {
        try {
            return locker.lockerReady(endpoint);
        } catch (RuntimeException e) {
            LOG.warn("Locker readiness of box {} unavailable: {}", endpoint, e.toString());
            return null;
        }
    }

    private ReadinessView readinessOf(String unitId) {
        UnitReadiness r;
        try {
            r = readiness.readinessOf(unitId);
        } catch (RuntimeException e) {
            LOG.warn("Readiness of unit {} unavailable: {}", unitId, e.toString());
            return null;
        }
        return new ReadinessView(r.state().wireName(), r.ready(), r.onDuty(), r.leaderId(),
                r.items().stream().map(i -> new ItemView(i.kind(), i.required(), i.present())).toList(),
                r.problems());
    }

    static UnitSummary summary(UnitInfo unit) {
        return new UnitSummary(unit.id(), unit.name(), unit.villageName(), unit.villageId(), unit.lat(), unit.lon(),
                unit.callBoxes());
    }
}
