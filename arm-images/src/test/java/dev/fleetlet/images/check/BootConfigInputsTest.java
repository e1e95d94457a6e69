package dev.fleetlet.images.check;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Reading /etc/default/raspi-firmware the way raspi-firmware's kernel hook sources it. */
class BootConfigInputsTest {
    private static final String PACKAGE_DEFAULTS = """
            # Filesystem to mount on root.
            #ROOTPART=/dev/mmcblk0p2
            #CONSOLES="auto"
            """;

    @Test
    void ignoresTheCommentedExamplesOfThePackage() {
        assertThat(BootConfigInputs.lastAssignment(PACKAGE_DEFAULTS, "ROOTPART")).isEmpty();
        assertThat(BootConfigInputs.lastAssignment(PACKAGE_DEFAULTS, "CONSOLES")).isEmpty();
    }

    @Test
    void takesTheLastAssignmentWithoutItsQuotesAsSourcingDoes() {
        // given
        String text = PACKAGE_DEFAULTS + "ROOTPART=/dev/sda2\nROOTPART=\"PARTUUID=f1ee7e70-02\"\nCONSOLES='tty0 ttyS1,115200'\n";

        // then
        assertThat(BootConfigInputs.lastAssignment(text, "ROOTPART")).contains("PARTUUID=f1ee7e70-02");
        assertThat(BootConfigInputs.lastAssignment(text, "CONSOLES")).contains("tty0 ttyS1,115200");
        assertThat(BootConfigInputs.lastAssignment(text, "CMA")).isEmpty();
    }

    @Test
    void doesNotTakeAnotherVariableThatEndsWithTheSameName() {
        assertThat(BootConfigInputs.lastAssignment("MYROOTPART=/dev/sda2\n", "ROOTPART")).isEmpty();
    }
}
