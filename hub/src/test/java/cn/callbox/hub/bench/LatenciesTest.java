package cn.callbox.hub.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LatenciesTest {

    @Test
    void percentiles_are_nearest_rank_in_milliseconds() {
        Latencies latencies = new Latencies("send");
        for (int ms = 100; ms >= 1; ms--) {
            latencies.add(ms * 1_000_000L);
        }
        assertThat(latencies.p50()).isEqualTo(50.0);
        assertThat(latencies.p99()).isEqualTo(99.0);
        assertThat(latencies.max()).isEqualTo(100.0);
        assertThat(latencies.count()).isEqualTo(100);
    }

    @Test
    void a_single_sample_is_every_percentile_and_misses_are_only_counted() {
        Latencies latencies = new Latencies("alert");
        latencies.add(2_500_000L);
        latencies.missed();
        assertThat(latencies.p50()).isEqualTo(2.5);
        assertThat(latencies.p99()).isEqualTo(2.5);
        assertThat(latencies.missing()).isEqualTo(1);
        assertThat(latencies.count()).isEqualTo(1);
    }

    @Test
    void no_samples_or_negative_samples_are_refused() {
        Latencies latencies = new Latencies("siren");
        assertThatThrownBy(latencies::p50).isInstanceOf(IllegalStateException.class).hasMessageContaining("siren");
        assertThatThrownBy(() -> latencies.add(-1)).isInstanceOf(IllegalArgumentException.class);
    }
}
