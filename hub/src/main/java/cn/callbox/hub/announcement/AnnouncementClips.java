package cn.callbox.hub.announcement;

import java.util.List;

/**
 * The clips a hub may ask a box to play by name (33003/0/2): the {@code clip.<name>} texts the edge firmware ships in
 * {@code cn/callbox/device/announce/messages.properties}. This is the hub's one list of them; a box refuses any other
 * name. Keep it in step with the firmware's bundle.
 */
public final class AnnouncementClips {

    /** calling 正在呼叫, received 已收到呼叫, assemble 请应急队员立即集合, test 喇叭测试. */
    public static final List<String> NAMES = List.of("assemble", "calling", "received", "test");

    private AnnouncementClips() {
    }

    public static boolean isKnown(String name) {
        return name != null && NAMES.contains(name);
    }
}
