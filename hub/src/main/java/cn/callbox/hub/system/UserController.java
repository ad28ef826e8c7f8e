package cn.callbox.hub.system;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.Authentication;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import cn.callbox.hub.system.ConsoleUsers.ConsoleUser;

/**
 * {@code /api/users}: the console's accounts, admin only (the API's security for changes; the list is checked here, as
 * the security lets every role GET {@code /api/**}). Passwords
 * are taken, hashed and forgotten: never answered, logged or audited. Every change goes to the {@link AuditTrail}
 * ({@code user-create}, {@code user-delete}, {@code user-password}). Errors are problem details: 400 malformed body,
 * 404 {@code user-not-found}, 409 {@code user-taken} or {@code last-admin}, 422 {@code user-rule} with {@code rule}
 * naming the broken rule ({@link Rule}); nothing changes then.
 */
@RestController
@RequestMapping("/api/users")
class UserController {

    private static final Logger LOG = LoggerFactory.getLogger(UserController.class);
    private static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    static final int MIN_PASSWORD_CHARS = 10;
    /** BCrypt reads at most 72 bytes; a longer password would be cut (or refused by the encoder). */
    static final int MAX_PASSWORD_BYTES = 72;

    private final ConsoleUsers users;
    private final PasswordEncoder encoder;
    private final AuditTrail audit;

    UserController(ConsoleUsers users, PasswordEncoder encoder, AuditTrail audit) {
        this.users = users;
        this.encoder = encoder;
        this.audit = audit;
    }

    /** The rules of an account, by their names in problem details ({@code rule}). */
    enum Rule {
        USERNAME("username", "a user name is 1 to 64 letters, digits, '.', '_' or '-'"),
        PASSWORD_LENGTH("password-length", "a password has at least " + MIN_PASSWORD_CHARS + " characters and at most "
                + MAX_PASSWORD_BYTES + " bytes"),
        ROLE("role", "the role is admin, dispatcher, police or unit-leader"),
        UNIT_FOR_LEADER("unit-for-leader", "a unit leader, and only a unit leader, names a unit"),
        KNOWN_UNIT("known-unit", "the unit exists");

        private final String wireName;
        private final String text;

        Rule(String wireName, String text) {
            this.wireName = wireName;
            this.text = text;
        }
    }

    /** @param unit the unit of a unit leader; absent or null for every other role */
    record NewUser(String username, String password, String role, String unit) {
        @Override
        public String toString() {
            return "NewUser[" + username + ", " + role + ", " + unit + "]";
        }
    }

    record NewPassword(String password) {
        @Override
        public String toString() {
            return "NewPassword[***]";
        }
    }

    /** @param unit null for every role but unit-leader */
    record UserView(String username, String role, String unit) {
        static UserView of(ConsoleUser user) {
            return new UserView(user.username(), user.role().dbName(), user.unitId());
        }
    }

    static final class RuleException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final transient Rule rule;

        RuleException(Rule rule, String detail) {
            super(rule.text + "; " + detail);
            this.rule = rule;
        }
    }

    static final class ConflictException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final String type;

        ConflictException(String type, String detail) {
            super(detail);
            this.type = type;
        }
    }

    static final class NotFoundException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        NotFoundException(String username) {
            super("No user '" + username + "'.");
        }
    }

    /**
     * The security configuration lets every role GET {@code /api/**}; the account list is for admins only, so it is
     * checked here too (403 problem through the security's access-denied handler).
     */
    @GetMapping
    List<UserView> list(Authentication authentication) {
        if (Caller.of(authentication).role() != ConsoleRole.ADMIN) {
            throw new AccessDeniedException("the account list is for admins only");
        }
        return users.all().stream().map(UserView::of).toList();
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    UserView create(@RequestBody NewUser body, Authentication authentication) {
        if (body.username() == null || !USERNAME.matcher(body.username()).matches()) {
            throw new RuleException(Rule.USERNAME, "got '" + body.username() + "'");
        }
        checkPassword(body.password());
        ConsoleRole role = ConsoleRole.ofDbName(body.role())
                .orElseThrow(() -> new RuleException(Rule.ROLE, "got '" + body.role() + "'"));
        String unit = body.unit() == null || body.unit().isBlank() ? null : body.unit();
        if ((role == ConsoleRole.UNIT_LEADER) != (unit != null)) {
            throw new RuleException(Rule.UNIT_FOR_LEADER, role == ConsoleRole.UNIT_LEADER ? "no unit given"
                    : "a " + role.dbName() + " has no unit");
        }
        if (unit != null && !users.unitExists(unit)) {
            throw new RuleException(Rule.KNOWN_UNIT, "no unit '" + unit + "'");
        }
        if (users.exists(body.username())) {
            throw taken(body.username());
        }
        try {
            users.create(body.username(), encoder.encode(body.password()), role, unit);
        } catch (DuplicateKeyException e) {
            throw taken(body.username());
        }
        LOG.info("User {} ({}{}) created by {}", body.username(), role.dbName(), unit == null ? "" : ", unit " + unit,
                authentication.getName());
        audit.record(authentication.getName(), "user-create", body.username(),
                role.dbName() + (unit == null ? "" : ", unit " + unit));
        return UserView.of(users.find(body.username()).orElseThrow());
    }

    @DeleteMapping("/{username}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void delete(@PathVariable String username, Authentication authentication) {
        switch (users.delete(username)) {
            case NO_SUCH_USER -> throw new NotFoundException(username);
            case LAST_ADMIN -> throw new ConflictException("last-admin",
                    "'" + username + "' is the last admin: create another admin first.");
            case DELETED -> {
                LOG.info("User {} deleted by {}", username, authentication.getName());
                audit.record(authentication.getName(), "user-delete", username, null);
            }
        }
    }

    @PostMapping("/{username}/password")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void changePassword(@PathVariable String username, @RequestBody NewPassword body, Authentication authentication) {
        if (!users.exists(username)) {
            throw new NotFoundException(username);
        }
        checkPassword(body.password());
        if (!users.changePassword(username, encoder.encode(body.password()))) {
            throw new NotFoundException(username);
        }
        LOG.info("Password of user {} changed by {}", username, authentication.getName());
        audit.record(authentication.getName(), "user-password", username, null);
    }

    private static void checkPassword(String password) {
        if (password == null || password.codePointCount(0, password.length()) < MIN_PASSWORD_CHARS
                || password.getBytes(StandardCharsets.UTF_8).length > MAX_PASSWORD_BYTES) {
            throw new RuleException(Rule.PASSWORD_LENGTH, password == null ? "none given" : "this one does not fit");
        }
    }

    private static ConflictException taken(String username) {
        return new ConflictException("user-taken", "The user name '" + username + "' is taken.");
    }

    @ExceptionHandler
    ProblemDetail rule(RuleException e) {
        ProblemDetail problem = Problems.of(HttpStatus.UNPROCESSABLE_CONTENT, "user-rule", "Account rule broken",
                e.getMessage());
        problem.setProperty("rule", e.rule.wireName);
        return problem;
    }

    @ExceptionHandler
    ProblemDetail conflict(ConflictException e) {
        return Problems.of(HttpStatus.CONFLICT, e.type, "Conflict", e.getMessage());
    }

    @ExceptionHandler
    ProblemDetail notFound(NotFoundException e) {
        return Problems.of(HttpStatus.NOT_FOUND, "user-not-found", "User not found", e.getMessage());
    }
}
