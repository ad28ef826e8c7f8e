package cn.callbox.hub.announcement;

import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.annotation.Profile;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * The demo profile's announcement schedule: when the hub is ready (the demo township seeded) and no schedule exists
 * yet, an anti-fraud warning (反诈预警) on the market unit's boxes on the market days of the month at 09:00.
 */
@Component
@Profile("demo")
class DemoAnnouncementSchedule {

    /** The demo's market unit (registry DemoTownshipPlan): its box stands at 后山场镇集市. */
    static final String MARKET_UNIT = "hs-market";
    static final String NAME = "反诈预警";
    static final String TEXT = "赶集的乡亲们请注意：陌生电话让你转账汇款、索要银行卡密码和验证码的都是诈骗！"
            + "不听、不信、不转账，遇到可疑情况请拨打110或到派出所咨询。";
    /** 逢三、六、九赶场. */
    static final List<Integer> MARKET_DAYS = List.of(3, 6, 9, 13, 16, 19, 23, 26, 29);

    private static final Logger LOG = LoggerFactory.getLogger(DemoAnnouncementSchedule.class);

    private final ScheduleService schedules;

    DemoAnnouncementSchedule(ScheduleService schedules) {
        this.schedules = schedules;
    }

    @EventListener(ApplicationReadyEvent.class)
    void seed() {
        try {
            if (schedules.createIfNone(definition(), "system")) {
                LOG.info("Demo announcement schedule '{}' seeded for unit {}", NAME, MARKET_UNIT);
            }
        } catch (AnnouncementException e) {
            LOG.warn("Demo announcement schedule not seeded: {}", e.getMessage());
        }
    }

    static ScheduleService.Definition definition() {
        return new ScheduleService.Definition(NAME, TEXT, null, 1, new Targets(null, null, List.of(MARKET_UNIT)),
                List.of(), MARKET_DAYS, "09:00", true);
    }
}
