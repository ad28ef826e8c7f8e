package cn.callbox.hub.incident;

/** Great-circle distances on the WGS-84 mean sphere (haversine); good to a few metres at village scale. */
final class GreatCircle {

    /** Mean earth radius in km (IUGG). */
    static final double EARTH_RADIUS_KM = 6371.0088;

    private GreatCircle() {
    }

    /** Distance in km between two points given in degrees. */
    static double distanceKm(double lat1, double lon1, double lat2, double lon2) {
        double phi1 = Math.toRadians(lat1);
        double phi2 = Math.toRadians(lat2);
        double dPhi = Math.toRadians(lat2 - lat1);
        double dLambda = Math.toRadians(lon2 - lon1);
        double h = Math.sin(dPhi / 2) * Math.sin(dPhi / 2)
                + Math.cos(phi1) * Math.cos(phi2) * Math.sin(dLambda / 2) * Math.sin(dLambda / 2);
        return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1.0, Math.sqrt(h)));
    }
}
