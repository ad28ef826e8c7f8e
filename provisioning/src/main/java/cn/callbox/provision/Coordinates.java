package cn.callbox.provision;

/** Coordinates the hub takes: WGS-84 degrees inside China's range (latitude 3 to 54, longitude 73 to 136). */
final class Coordinates {

    static final double MIN_LAT = 3;
    static final double MAX_LAT = 54;
    static final double MIN_LON = 73;
    static final double MAX_LON = 136;

    private Coordinates() {
    }

    static boolean latitudeInChina(double lat) {
        return lat >= MIN_LAT && lat <= MAX_LAT;
    }

    static boolean longitudeInChina(double lon) {
        return lon >= MIN_LON && lon <= MAX_LON;
    }
}
