package cn.callbox.hub.registry;

import java.time.DayOfWeek;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import cn.callbox.hub.registry.JdbcDutyRoster.DayPlan;
import cn.callbox.hub.registry.TownshipSeed.CallBox;
import cn.callbox.hub.registry.TownshipSeed.Member;
import cn.callbox.hub.registry.TownshipSeed.Point;
import cn.callbox.hub.registry.TownshipSeed.PointKind;
import cn.callbox.hub.registry.TownshipSeed.Unit;
import cn.callbox.hub.registry.TownshipSeed.Village;

/**
 * The demo township: 后山镇, 重庆市万州区 (DOMAIN.md's source). Villages, points and people are invented; the places lie
 * in the real area around the town (lat 30.73-30.77, lon 108.37-108.42). Five units of six resident members each,
 * all within 5 km of at least two other units, and five call boxes; the box first by endpoint
 * ({@value #FIRST_BOX}) belongs to the unit that has two boxes, so that one press sounds several sirens.
 */
final class DemoTownshipPlan {

    static final String TOWNSHIP = "houshan";
    static final String FIRST_BOX = "hs-houshan-01";

    /** Roles of DOMAIN.md; the first three take turns as duty leader in {@link #weeklyPattern}. */
    static final List<String> ROLES = List.of("综治专干", "警务助理", "驻村辅警", "民兵", "村医", "治安积极分子");

    private static final List<Village> VILLAGES = List.of(
            new Village("houshan", "后山社区"),
            new Village("tianxing", "天星村"),
            new Village("longquan", "龙泉村"),
            new Village("shiping", "石坪村"));

    private static final List<Point> POINTS = List.of(
            new Point("houshan-market", "houshan", PointKind.MARKET, "后山场镇集市", 30.7500, 108.4000, "hs-market"),
            new Point("houshan-g1", "houshan", PointKind.GRID, "后山社区便民服务中心", 30.7545, 108.4052, "hs-houshan"),
            new Point("houshan-g2", "houshan", PointKind.GRID, "后山社区老街", 30.7571, 108.4093, "hs-houshan"),
            new Point("tianxing-g1", "tianxing", PointKind.GRID, "天星村村委会", 30.7702, 108.3861, "hs-tianxing"),
            new Point("longquan-g1", "longquan", PointKind.GRID, "龙泉村便民服务点", 30.7318, 108.4176, "hs-longquan"),
            new Point("shiping-g1", "shiping", PointKind.GRID, "石坪村村委会", 30.7415, 108.3772, "hs-shiping"));

    /** id, name, village, home point, six member names. */
    private record UnitPlan(String id, String name, String villageId, String homePointId, List<String> people) {
    }

    private static final List<UnitPlan> UNITS = List.of(
            new UnitPlan("hs-market", "后山场镇集市应急处置单元", "houshan", "houshan-market",
                    List.of("谭志刚", "向明亮", "冉小兵", "牟勇", "熊春梅", "黄德才")),
            new UnitPlan("hs-houshan", "后山社区应急处置单元", "houshan", "houshan-g1",
                    List.of("陈建国", "刘国平", "张小军", "李强", "王秀英", "赵大明")),
            new UnitPlan("hs-tianxing", "天星村应急处置单元", "tianxing", "tianxing-g1",
                    List.of("杨光辉", "周永红", "吴海", "郑军", "孙丽华", "冯德贵")),
            new UnitPlan("hs-longquan", "龙泉村应急处置单元", "longquan", "longquan-g1",
                    List.of("邓世林", "彭建", "蒋成", "罗永富", "唐晓燕", "程家兴")),
            new UnitPlan("hs-shiping", "石坪村应急处置单元", "shiping", "shiping-g1",
                    List.of("余正清", "何文斌", "胡勇军", "龚平", "田桂芳", "袁长贵")));

    /** endpoint, point. Each box stands at its point. */
    private static final Map<String, String> BOXES = Map.of(
            "hs-houshan-01", "houshan-g1",
            "hs-houshan-02", "houshan-g2",
            "hs-market-01", "houshan-market",
            "hs-tianxing-01", "tianxing-g1",
            "hs-longquan-01", "longquan-g1");

    private DemoTownshipPlan() {
    }

    /** The demo boxes' endpoints, sorted. */
    static List<String> endpoints() {
        return BOXES.keySet().stream().sorted().toList();
    }

    static List<String> unitIds() {
        return UNITS.stream().map(UnitPlan::id).toList();
    }

    /** The member ids of every unit, e.g. {@code hs-market-m1}..{@code -m6}. */
    static List<String> memberIds() {
        return UNITS.stream().flatMap(u -> memberIds(u).stream()).toList();
    }

    /**
     * The whole township, without duty: the units' duty is their {@link #weeklyPattern weekly pattern}.
     *
     * @param mqttPasswordHash BCrypt hash of each member's MQTT password, by member id
     * @param pskKey the pre-shared key of each box, by endpoint (16 bytes)
     */
    static TownshipSeed seed(Function<String, String> mqttPasswordHash, Function<String, byte[]> pskKey) {
        List<Unit> units = new ArrayList<>();
        for (UnitPlan plan : UNITS) {
            List<Member> members = new ArrayList<>();
            List<String> ids = memberIds(plan);
            for (int i = 0; i < ids.size(); i++) {
                members.add(new Member(ids.get(i), plan.people().get(i), ROLES.get(i), true, null,
                        mqttPasswordHash.apply(ids.get(i))));
            }
            units.add(new Unit(plan.id(), plan.name(), plan.villageId(), plan.homePointId(), members));
        }
        List<CallBox> boxes = new ArrayList<>();
        for (String endpoint : endpoints()) {
            Point point = point(BOXES.get(endpoint));
            boxes.add(new CallBox(endpoint, point.id(), point.lat(), point.lon(), endpoint, pskKey.apply(endpoint)));
        }
        return new TownshipSeed(TOWNSHIP, "后山镇", "重庆市万州区", VILLAGES, units, POINTS, boxes, List.of());
    }

    /**
     * A demo unit's weekly duty pattern: three of the six members on duty each day (the minimum of DOMAIN.md §4.2, so
     * that a box's default locker, stocked for three, makes its unit ready), rotating, led in turn by one of the first
     * three (综治专干, 警务助理, 驻村辅警).
     */
    static Map<DayOfWeek, DayPlan> weeklyPattern(String unitId) {
        UnitPlan plan = UNITS.stream().filter(u -> u.id().equals(unitId)).findFirst().orElseThrow();
        List<String> ids = memberIds(plan);
        Map<DayOfWeek, DayPlan> week = new EnumMap<>(DayOfWeek.class);
        for (DayOfWeek day : DayOfWeek.values()) {
            int turn = (day.getValue() - 1) % 3;
            // two consecutive members after the leader, shifted through the week: never the leader (6 members)
            int shift = (day.getValue() - 1) / 3;
            List<String> others = new ArrayList<>();
            for (int k = 1; k <= 2; k++) {
                others.add(ids.get((turn + shift + k) % ids.size()));
            }
            week.put(day, DayPlan.of(ids.get(turn), others));
        }
        return week;
    }

    private static Point point(String id) {
        return POINTS.stream().filter(p -> p.id().equals(id)).findFirst().orElseThrow();
    }

    private static List<String> memberIds(UnitPlan plan) {
        List<String> ids = new ArrayList<>();
        for (int i = 1; i <= plan.people().size(); i++) {
            ids.add(plan.id() + "-m" + i);
        }
        return ids;
    }
}
