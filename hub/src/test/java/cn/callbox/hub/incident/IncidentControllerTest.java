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
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.AuthorityUtils;
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

    /** The slice has no security filter to turn the mock user into the request's principal. */
    static final Authentication DISPATCHER = new UsernamePasswordAuthenticationToken("disp", null,
            AuthorityUtils.createAuthorityList("ROLE_DISPATCHER"));

    @Autowired
    MockMvc mvc;

    @Autowired
    IncidentService service;

    @Autowired
    Fakes.Commands commands;

    @Autowired
    Fakes.Audit audit;

    @TestConfiguration
    static class Slice {

        @Bean
        Fakes.Commands commands() {
            return new Fakes.Commands();
        }

        @Bean
        Fakes.Audit audit() {
            return new Fakes.Audit();
        }

        @Bean
        MutableClock testClock() {
            return new MutableClock(IncidentServiceTest.T0);
        }

        @Bean(destroyMethod = "close")
        IncidentService incidentService(Fakes.Commands commands, MutableClock clock) {
            return IncidentServiceTest.service(IncidentServiceTest.township(), new Fakes.Readiness(), commands,
                    new Fakes.Publisher(), Fakes.store(Fakes.database()), clock);
        }
    }

    @Autowired
    MutableClock clock;

    /** A new incident of box-a (earlier ones closed, a minute later, so that the press does not join them). */
    String raise() {
        Fakes.newPressAllowed(service, clock, "box-a");
        return service.receive(new AlarmRecord("box-a", System.nanoTime(), Instant.parse("2026-11-29T01:59:58Z")));
    }

    ResultActions postJson(String path, String body) throws Exception {
        return mvc.perform(post(path).principal(DISPATCHER).with(csrf()).contentType(MediaType.APPLICATION_JSON)
                .content(body));
    }

    @Test
    void an_incident_has_the_contract_fields() throws Exception {
        String id = raise();
        String now = clock.instant().toString();

        mvc.perform(get("/api/incidents/{id}", id).principal(DISPATCHER))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.id").value(id))
                .andExpect(jsonPath("$.kind").value("panic"))
                .andExpect(jsonPath("$.state").value("raised"))
                .andExpect(jsonPath("$.callbox").value("box-a"))
                .andExpect(jsonPath("$.raisedAt").value("2026-11-29T01:59:58Z"))
                .andExpect(jsonPath("$.recordedAt").value(now))
                .andExpect(jsonPath("$.presses").value(1))
                .andExpect(jsonPath("$.pressTimes[0]").value("2026-11-29T01:59:58Z"))
                .andExpect(jsonPath("$.warnings", hasSize(0)))
                .andExpect(jsonPath("$.units", hasSize(3)))
                .andExpect(jsonPath("$.units[0].unit").value("unit-a"))
                .andExpect(jsonPath("$.units[0].role").value("primary"))
                .andExpect(jsonPath("$.units[0].alertedAt").value(now))
                .andExpect(jsonPath("$.units[0].acknowledgedAt").isEmpty())
                .andExpect(jsonPath("$.log[0].type").value("raised"));
        mvc.perform(get("/api/incidents").principal(DISPATCHER))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$[*].id", hasItem(id)));
    }

    @Test
    void an_unknown_incident_is_a_404_problem() throws Exception {
        mvc.perform(get("/api/incidents/INC-00000000-NOPE00").principal(DISPATCHER))
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
                .andExpect(jsonPath("$.units[0].acknowledgedAt").value(clock.instant().toString()));
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

    @Test
    void acks_and_reports_are_audited_with_the_caller() throws Exception {
        String id = raise();

        postJson("/api/incidents/" + id + "/acks", "{\"memberId\":\"m-a1\"}").andExpect(status().isOk());
        postJson("/api/incidents/" + id + "/reports", "{\"status\":\"on-scene\",\"note\":\" 已到达 \"}")
                .andExpect(status().isOk());
        postJson("/api/incidents/" + id + "/reports", "{\"status\":\"gone-fishing\"}")
                .andExpect(status().isBadRequest());

        assertThat(audit.entries).filteredOn(e -> e.contains(id)).containsExactly(
                "disp incident-ack " + id + " member m-a1",
                "disp incident-report " + id + " on-scene: 已到达");
    }

    @Test
    void the_command_centre_actions_return_the_incident_and_are_audited() throws Exception {
        String id = raise();

        postJson("/api/incidents/" + id + "/alerts", "{\"unit\":\"unit-e\"}")
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.units[3].unit").value("unit-e"))
                .andExpect(jsonPath("$.units[3].role").value("support"))
                .andExpect(jsonPath("$.log[-1].type").value("alerted"))
                .andExpect(jsonPath("$.log[-1].text", containsString("by disp")));
        postJson("/api/incidents/" + id + "/police", "{\"note\":\"持刀\"}")
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.needsPolice").value(true))
                .andExpect(jsonPath("$.log[-1].type").value("police-called"));
        mvc.perform(post("/api/incidents/" + id + "/police").principal(DISPATCHER).with(csrf()))
                .andExpect(status().isOk());
        postJson("/api/incidents/" + id + "/close", "{}")
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.state").value("resolved"))
                .andExpect(jsonPath("$.log[-1].type").value("closed"))
                .andExpect(jsonPath("$.log[-1].text").value("closed by disp"));

        assertThat(audit.entries).filteredOn(e -> e.contains(id)).containsExactly(
                "disp incident-alert-unit " + id + " unit-e",
                "disp incident-police " + id + " 持刀",
                "disp incident-police " + id + " null",
                "disp incident-close " + id + " null");
    }

    @Test
    void a_false_alarm_closes_the_incident() throws Exception {
        String id = raise();

        postJson("/api/incidents/" + id + "/false-alarm", "{\"note\":\"误按\"}")
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.state").value("false-alarm"))
                .andExpect(jsonPath("$.log[-1].text").value("false alarm by disp: 误按"));
        assertThat(commands.calls).contains("status box-a idle " + id, "stop box-a");
        assertThat(audit.entries).contains("disp incident-false-alarm " + id + " 误按");
    }

    @Test
    void refused_actions_are_problems_change_nothing_and_are_not_audited() throws Exception {
        String id = raise();
        IncidentSnapshot before = service.find(id).orElseThrow();

        postJson("/api/incidents/" + id + "/alerts", "{\"unit\":\"unit-nope\"}")
                .andExpect(status().isNotFound())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.type").value("urn:callbox:problem:unit-not-found"));
        postJson("/api/incidents/" + id + "/alerts", "{\"unit\":\"unit-b\"}")
                .andExpect(status().isConflict())
                .andExpect(jsonPath("$.type").value("urn:callbox:problem:unit-already-alerted"));
        postJson("/api/incidents/" + id + "/alerts", "{}")
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.detail", containsString("unit")));
        postJson("/api/incidents/INC-00000000-NOPE00/alerts", "{\"unit\":\"unit-e\"}")
                .andExpect(status().isNotFound())
                .andExpect(jsonPath("$.type").value("urn:callbox:problem:incident-not-found"));
        postJson("/api/incidents/INC-00000000-NOPE00/close", "{}").andExpect(status().isNotFound());
        postJson("/api/incidents/" + id + "/police", "{\"note\":\"" + "x".repeat(501) + "\"}")
                .andExpect(status().isBadRequest());
        postJson("/api/incidents/" + id + "/close", "not json").andExpect(status().isBadRequest());
        assertThat(service.find(id)).contains(before);

        postJson("/api/incidents/" + id + "/close", "{}").andExpect(status().isOk());
        IncidentSnapshot closed = service.find(id).orElseThrow();
        for (String action : new String[] { "police", "false-alarm", "close" }) {
            postJson("/api/incidents/" + id + "/" + action, "{}")
                    .andExpect(status().isConflict())
                    .andExpect(jsonPath("$.type").value("urn:callbox:problem:incident-closed"));
        }
        postJson("/api/incidents/" + id + "/alerts", "{\"unit\":\"unit-e\"}").andExpect(status().isConflict());
        assertThat(service.find(id)).contains(closed);
        assertThat(audit.entries).filteredOn(e -> e.contains(id)).containsExactly(
                "disp incident-close " + id + " null");
    }
}
