package cn.callbox.hub.bench;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import cn.callbox.hub.registry.TownshipSeed;
import cn.callbox.hub.registry.TownshipSeed.CallBox;
import cn.callbox.hub.registry.TownshipSeed.Duty;
import cn.callbox.hub.registry.TownshipSeed.Member;
import cn.callbox.hub.registry.TownshipSeed.Point;
import cn.callbox.hub.registry.TownshipSeed.PointKind;
import cn.callbox.hub.registry.TownshipSeed.Unit;
import cn.callbox.hub.registry.TownshipSeed.Village;

/**
 * A made-up township of N call boxes for the benchmark: ceil(N/2) units, one village each, placed on a square grid
 * about 1 km apart, each with two points 150 m apart and a box at each; six resident members per unit, four on duty
 * (a leader and three more) from yesterday to tomorrow, so "today" holds in any time zone. With the hub's default
 * dispatch (2 support units within 5 km) every press alerts the primary unit and its two nearest neighbours.
 *
 * @param seed the township to import
 * @param keys each box's pre-shared key by endpoint (the PSK identity is the endpoint), in endpoint order
 */
record SyntheticDistrict(TownshipSeed seed, Map<String, byte[]> keys) {

    static final String TOWNSHIP = "bench";
    private static final double LAT0 = 30.70;
    private static final double LON0 = 108.30;
    /** About 1 km in latitude. */
    private static final double STEP_LAT = 0.009;
    /** About 1 km in longitude at 30.7° N. */
    private static final double STEP_LON = 0.01045;
    /** About 150 m in longitude: a unit's second point. */
    private static final double SECOND_POINT_LON = 0.00157;
    private static final List<String> ROLES = List.of("综治专干", "警务助理", "驻村辅警", "民兵", "村医", "治安积极分子");

    /**
     * @param boxes N, at least 1
     * @param today the hub's today (UTC)
     * @param random draws the keys
     */
    static SyntheticDistrict of(int boxes, LocalDate today, Random random) {
        if (boxes < 1) {
            throw new IllegalArgumentException("at least one box: " + boxes);
        }
        int unitCount = (boxes + 1) / 2;
        int columns = (int) Math.ceil(Math.sqrt(unitCount));
        List<Village> villages = new ArrayList<>();
        List<Unit> units = new ArrayList<>();
        List<Point> points = new ArrayList<>();
        List<CallBox> callBoxes = new ArrayList<>();
        List<Duty> duties = new ArrayList<>();
        Map<String, byte[]> keys = new LinkedHashMap<>();
        for (int u = 0; u < unitCount; u++) {
            String village = String.format("v%04d", u + 1);
            String unit = String.format("u%04d", u + 1);
            villages.add(new Village(village, "第" + (u + 1) + "村"));
            double lat = LAT0 + (u / columns) * STEP_LAT;
            double lon = LON0 + (u % columns) * STEP_LON;
            String home = unit + "-a";
            points.add(new Point(home, village, PointKind.GRID, "第" + (u + 1) + "村村委会", lat, lon, unit));
            points.add(new Point(unit + "-b", village, PointKind.GRID, "第" + (u + 1) + "村老街", lat,
                    lon + SECOND_POINT_LON, unit));
            List<Member> members = new ArrayList<>();
            List<String> memberIds = new ArrayList<>();
            for (int m = 0; m < ROLES.size(); m++) {
                String id = unit + "-m" + (m + 1);
                memberIds.add(id);
                members.add(new Member(id, "第" + (u + 1) + "村队员" + (m + 1), ROLES.get(m), true, null, null));
            }
            units.add(new Unit(unit, "第" + (u + 1) + "村应急处置单元", village, home, members));
            for (int day = -1; day <= 1; day++) {
                duties.add(Duty.of(unit, today.plusDays(day), memberIds.get(0), memberIds.subList(1, 4)));
            }
        }
        for (int b = 0; b < boxes; b++) {
            String endpoint = String.format("bench-%04d", b + 1);
            Point point = points.get(b);
            byte[] key = new byte[16];
            random.nextBytes(key);
            keys.put(endpoint, key);
            callBoxes.add(new CallBox(endpoint, point.id(), point.lat(), point.lon(), endpoint, key));
        }
        TownshipSeed seed = new TownshipSeed(TOWNSHIP, "基准镇", "基准区", villages, units, points, callBoxes, duties);
        return new SyntheticDistrict(seed, keys);
    }

    List<String> unitIds() {
        return seed.units().stream().map(Unit::id).toList();
    }
}
