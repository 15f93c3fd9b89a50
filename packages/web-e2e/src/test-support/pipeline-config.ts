// The pipeline the browser tests run: one scenario per pipeline, chosen with the SCENARIO variable.

/** `.gitlab-ci.yml` of the test repository. */
export const PIPELINE_CONFIG = `
stages: [build, test, deploy]
compile:
  stage: build
  rules: [{ if: '$SCENARIO == "live"' }]
  script:
    - echo -e "\\e[0Ksection_start:$(date +%s):compile_step\\r\\e[0K\\e[32;1mCompiling the app\\e[0m"
    # With GATE set, the job holds after step 2 until that file exists, so a test sees it running
    # however loaded the machine is.
    - for i in $(seq 1 10); do echo "compile step $i"; if [ "$i" = 2 ] && [ -n "$GATE" ]; then while [ ! -e "$GATE" ]; do sleep 0.05; done; fi; sleep 0.3; done
    - echo -e "\\e[0Ksection_end:$(date +%s):compile_step\\r\\e[0K"
    - mkdir -p out && echo built > out/result.txt
  artifacts: { paths: [out/] }
deploy:
  stage: deploy
  needs: [compile]
  when: manual
  rules: [{ if: '$SCENARIO == "live"', when: manual }]
  script: [echo deployed]
sleeper:
  stage: test
  rules: [{ if: '$SCENARIO == "cancel"' }]
  script:
    - sleep 60 & echo "sleep-pid $!"; wait
flaky:
  stage: test
  rules: [{ if: '$SCENARIO == "retry"' }]
  script:
    - echo "flaky attempt"
    - exit 1
counter:
  stage: test
  rules: [{ if: '$SCENARIO == "drop"' }]
  script:
    - for i in $(seq 1 30); do echo "line $i"; sleep 0.15; done
unit-tests:
  stage: test
  rules: [{ if: '$SCENARIO == "junit"' }]
  script:
    - |
      cat > report.xml <<'XML'
      <testsuites><testsuite name="math" tests="2" failures="1" time="0.5">
      <testcase classname="math.add" name="adds two numbers" time="0.25"/>
      <testcase classname="math.div" name="divides by zero" time="0.25"><failure message="wrong">expected Infinity, got NaN</failure></testcase>
      </testsuite></testsuites>
      XML
  artifacts:
    when: always
    reports:
      junit: report.xml
`;
