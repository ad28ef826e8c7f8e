package cn.callbox.hub.incident;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.security.test.context.support.WithMockUser;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;

import cn.callbox.hub.testing.MutableClock;
import cn.callbox.protocol.mqtt.IncidentSnapshot;

/** The incident REST API: contract fields, acks, reports and problem details; a refused request changes nothing. */
// logging.config is cleared: the slice needs none of the application logging setup (HiveMQ workaround)
@WebMvcTest(controllers = IncidentController.class)
@Import(IncidentControllerTest.Slice.class)
@WithMockUser(roles = "DISPATCHER")
class IncidentControllerTest {

    @Autowired
    MockMvc mvc;

    @Autowired
    IncidentService service;

    @Autowired
    Fakes.Commands commands;

    @TestConfiguration
    static class Slice {

        @Bean
        Fakes.Commands commands() {
            return new Fakes.Commands();
        }

        @Bean(destroyMethod = "close")
        IncidentService incidentService(Fakes.Commands commands) {
            return IncidentServiceTest.service(IncidentServiceTest.township(), new Fakes.Readiness(), commands,
                    new Fakes.Publisher(), Fakes.store(Fakes.database()),
                    new MutableClock(IncidentServiceTest.T0));
        }
    }

    String raise() {
        return service.receive(new AlarmRecord("box-a", System.nanoTime(), Instant.parse("2026-11-29T01:59:58Z")));
    }

    ResultActions postJson(String path, String body) throws Exception {
        return mvc.perform(post(path).with(csrf()).contentType(MediaType.APPLICATION_JSON).content(body));
    }

    @Test
    void an_incident_has_the_contract_fields() throws Exception {
        String id = raise();

        mvc.perform(get("/api/incidents/{id}", id))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.id").value(id))
                .andExpect(jsonPath("$.kind").value("panic"))
                .andExpect(jsonPath("$.state").value("raised"))
                .andExpect(jsonPath("$.callbox").value("box-a"))
                .andExpect(jsonPath("$.raisedAt").value("2026-11-29T01:59:58Z"))
                .andExpect(jsonPath("$.recordedAt").value("2026-11-29T02:00:00Z"))
                .andExpect(jsonPath("$.units", hasSize(3)))
                .andExpect(jsonPath("$.units[0].unit").value("unit-a"))
                .andExpect(jsonPath("$.units[0].role").value("primary"))
                .andExpect(jsonPath("$.units[0].alertedAt").value("2026-11-29T02:00:00Z"))
                .andExpect(jsonPath("$.units[0].acknowledgedAt").isEmpty())
                .andExpect(jsonPath("$.log[0].type").value("raised"));
        mvc.perform(get("/api/incidents"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$[*].id", hasItem(id)));
    }

    @Test
    void an_unknown_incident_is_a_404_problem() throws Exception {
        mvc.perform(get("/api/incidents/INC-00000000-NOPE00"))
                .andExpect(status().isNotFound())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.status").value(404))
                .andExpect(jsonPath("$.detail", containsString("INC-00000000-NOPE00")));
        postJson("/api/incidents/INC-00000000-NOPE00/acks", "{\"memberId\":\"m-a1\"}")
                .andExpect(status().isNotFound());
    }

    @Test
    void a_member_of_an_alerted_unit_acknowledges() throws Exception {
        String id = raise();

        postJson("/api/incidents/" + id + "/acks", "{\"memberId\":\"m-a1\"}")
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.state").value("acknowledged"))
                .andExpect(jsonPath("$.units[0].acknowledgedAt").value("2026-11-29T02:00:00Z"));
        assertThat(commands.calls).contains("status box-a acknowledged " + id);
    }

    @Test
    void bad_acks_are_problems_and_change_nothing() throws Exception {
        String id = raise();
        IncidentSnapshot before = service.find(id).orElseThrow();

        postJson("/api/incidents/" + id + "/acks", "{\"memberId\":\"m-e1\"}")
                .andExpect(status().isUnprocessableContent())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.detail", containsString("m-e1")));
        postJson("/api/incidents/" + id + "/acks", "{\"memberId\":")
                .andExpect(status().isBadRequest())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON));
        postJson("/api/incidents/" + id + "/acks", "{}")
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.detail", containsString("memberId")));
        postJson("/api/incidents/" + id + "/acks", "[1, 2]").andExpect(status().isBadRequest());

        assertThat(service.find(id)).contains(before);
    }

    @Test
    void reports_move_the_incident_on_and_a_closed_incident_is_a_409() throws Exception {
        String id = raise();

        postJson("/api/incidents/" + id + "/reports", "{\"status\":\"on-scene\",\"note\":\"已到达\"}")
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.state").value("responding"));
        postJson("/api/incidents/" + id + "/reports", "{\"status\":\"needs-police\"}")
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.needsPolice").value(true));
        postJson("/api/incidents/" + id + "/reports", "{\"status\":\"resolved\",\"note\":\"处置完毕\"}")
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.state").value("resolved"))
                .andExpect(jsonPath("$.log[-1].type").value("resolved"));
        postJson("/api/incidents/" + id + "/reports", "{\"status\":\"on-scene\"}")
                .andExpect(status().isConflict())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON));
        assertThat(service.find(id).orElseThrow().state()).isEqualTo("resolved");
    }

    @Test
    void an_invalid_report_is_a_400_problem_naming_the_allowed_values_and_changes_nothing() throws Exception {
        String id = raise();
        IncidentSnapshot before = service.find(id).orElseThrow();

        postJson("/api/incidents/" + id + "/reports", "{\"status\":\"gone-fishing\"}")
                .andExpect(status().isBadRequest())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.detail", containsString(
                        "on-scene, needs-police, needs-ambulance, resolved, false-alarm")));
        postJson("/api/incidents/" + id + "/reports", "{\"note\":\"x\"}").andExpect(status().isBadRequest());
        postJson("/api/incidents/" + id + "/reports", "not json").andExpect(status().isBadRequest());

        assertThat(service.find(id)).contains(before);
    }
}
